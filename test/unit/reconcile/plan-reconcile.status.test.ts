import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../lib/model/pod.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { aPod, POD_EPOCH } from '../../fixtures/builders/a-pod.js';
import { simulate, someNodes } from '../../fixtures/builders/simulate.js';

describe('planReconcile status', () => {
  it('counts each desired node by its oldest pod, as Kubernetes does', () => {
    const base = simulate(aDaemonSet('agent').withMinReadySeconds(10).build(), someNodes(1));
    const hash = base.plan().status.updateRevision ?? '';
    const nodes = [
      aNode('ready').build(),
      aNode('waiting').build(),
      aNode('old').build(),
      aNode('empty').build(),
      aNode('tainted').tainted('dedicated', 'NoSchedule').build(),
    ];
    const pods = [
      aPod('a')
        .on('ready')
        .atRevision(hash)
        .readySince(POD_EPOCH - 60_000)
        .build(),
      aPod('b')
        .on('waiting')
        .atRevision(hash)
        .readySince(POD_EPOCH - 5_000)
        .build(),
      aPod('c')
        .on('old')
        .atRevision('older')
        .createdAt(POD_EPOCH - 1000)
        .readySince(POD_EPOCH - 60_000)
        .build(),
      aPod('d').on('old').atRevision(hash).build(),
      aPod('e').on('tainted').atRevision(hash).build(),
      aPod('f').on('empty').atRevision(hash).inPhase('Failed').terminating().build(),
    ];
    const cluster = simulate(aDaemonSet('agent').withMinReadySeconds(10).build(), nodes, { pods });

    const { status } = cluster.plan();

    // 'empty' (its failed pod being deleted does not count) gets a pod in this very step, and the status the step
    // writes counts it: current and updated include it, ready and available do not.
    expect(status).toEqual({
      observedGeneration: 1,
      desiredNumberScheduled: 4,
      currentNumberScheduled: 4,
      numberMisscheduled: 1,
      numberReady: 3,
      updatedNumberScheduled: 3,
      numberAvailable: 2,
      numberUnavailable: 2,
      updateRevision: hash,
      conditions: [],
    });
  });

  it('writes the status the next pass would plan from the state the step leaves, so it is written once', () => {
    const cluster = simulate(aDaemonSet('agent').withRollingUpdate(1).build(), someNodes(5));

    const creating = cluster.step();
    const next = cluster.plan();

    expect(creating.actions).toHaveLength(5);
    expect(creating.status).toMatchObject({ desiredNumberScheduled: 5, currentNumberScheduled: 5 });
    expect(next.actions).toEqual([]);
    expect(next.status).toEqual(creating.status);

    cluster.markReady();
    cluster.settle();
    cluster.updateImage('agent/next');
    const replacing = cluster.step();
    expect(replacing.actions).toEqual([expect.objectContaining({ kind: 'deletePod', reason: 'outdated' })]);
    expect(cluster.plan().status).toEqual(replacing.status);
  });

  it('counts a pod of the template generation as updated, whatever its hash, and leaves it in place', () => {
    // util.IsPodUpdated (updateDaemonSetStatus, findUpdatedPodsOnNode): the hash label or, for pods created
    // before a hash change, the `pod-template-generation` label matching the DaemonSet's
    // `deprecated.daemonset.template.generation` annotation.
    const daemonSet = aDaemonSet('agent')
      .withRollingUpdate(1)
      .annotated({ 'deprecated.daemonset.template.generation': '3' })
      .build();
    const generationLabel = (pod: Pod, generation: string): Pod => ({
      ...pod,
      labels: { ...pod.labels, 'pod-template-generation': generation },
    });
    const pods = [
      generationLabel(aPod('a').on('node-0').atRevision('before-upgrade').readySince().build(), '3'),
      generationLabel(aPod('b').on('node-1').atRevision('before-upgrade').readySince().build(), '2'),
    ];
    const cluster = simulate(daemonSet, someNodes(2), { pods });

    const step = cluster.step();

    expect(step.status.updatedNumberScheduled).toBe(1);
    expect(step.actions).toEqual([expect.objectContaining({ kind: 'deletePod', podName: 'b', reason: 'outdated' })]);
  });

  it('observes the generation it planned for', () => {
    const cluster = simulate(aDaemonSet('agent').withGeneration(7).build(), someNodes(1));

    expect(cluster.step().status.observedGeneration).toBe(7);
  });

  it('looks again when the first ready pod becomes available', () => {
    const cluster = simulate(aDaemonSet('agent').withMinReadySeconds(20).build(), someNodes(2));
    cluster.step();
    cluster.markReady((pod) => pod.nodeName === 'node-0');
    cluster.advance(5);
    cluster.markReady();

    const step = cluster.step();

    expect(step.recheckAfterSeconds).toBe(16);
  });

  it('asks for no re-check when nothing is waiting on time', () => {
    const cluster = simulate(aDaemonSet('agent').build(), someNodes(2));
    cluster.settle();

    expect(cluster.step().recheckAfterSeconds).toBeUndefined();
  });

  it('records the current revision and, once complete, remembers it as the last complete one', () => {
    const cluster = simulate(aDaemonSet('agent').build(), someNodes(2));

    cluster.step();
    const started = cluster.memory;
    cluster.settle();

    expect(started.rollout).toMatchObject({ revisionHash: cluster.hash, startedAt: POD_EPOCH });
    expect(started.lastCompleteRevisionHash).toBeUndefined();
    expect(cluster.memory.lastCompleteRevisionHash).toBe(cluster.hash);
  });
});
