import { describe, expect, it } from 'vitest';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { aPod, POD_EPOCH } from '../../fixtures/builders/a-pod.js';
import { countActions, simulate, someNodes } from '../../fixtures/builders/simulate.js';

describe('planReconcile manage loop', () => {
  it('creates one pod per node that should run it, in node order', () => {
    const nodes = [
      aNode('c').build(),
      aNode('a').build(),
      aNode('b').tainted('dedicated', 'NoSchedule').build(),
      aNode('d').labelled({ disk: 'ssd' }).build(),
    ];
    const cluster = simulate(aDaemonSet('agent').build(), nodes);

    const step = cluster.step();

    expect(step.actions.map((action) => action.nodeName)).toEqual(['a', 'c', 'd']);
    expect(step.actions.every((action) => action.kind === 'createPod' && action.revisionHash === cluster.hash)).toBe(
      true,
    );
    expect(step.events.map((event) => event.reason)).toEqual([
      'SuccessfulCreate',
      'SuccessfulCreate',
      'SuccessfulCreate',
    ]);
  });

  it('keeps the oldest of duplicate pods: scheduled first, then creation time, then name', () => {
    const hash = simulate(aDaemonSet('agent').build(), someNodes(1)).plan().status.updateRevision ?? '';
    const pods = [
      aPod('agent-b').on('node-0').atRevision(hash).createdAt(POD_EPOCH).build(),
      aPod('agent-a').on('node-0').atRevision(hash).createdAt(POD_EPOCH).build(),
      aPod('agent-old')
        .on('node-0')
        .atRevision(hash)
        .createdAt(POD_EPOCH - 1000)
        .unscheduled()
        .build(),
      aPod('agent-late')
        .on('node-0')
        .atRevision(hash)
        .createdAt(POD_EPOCH + 1000)
        .build(),
    ];
    const cluster = simulate(aDaemonSet('agent').build(), someNodes(1), { pods });

    const step = cluster.step();

    expect(step.actions).toEqual([
      { kind: 'deletePod', podName: 'agent-b', nodeName: 'node-0', reason: 'duplicate' },
      { kind: 'deletePod', podName: 'agent-late', nodeName: 'node-0', reason: 'duplicate' },
      { kind: 'deletePod', podName: 'agent-old', nodeName: 'node-0', reason: 'duplicate' },
    ]);
  });

  it('evicts pods from a node tainted NoExecute but keeps them on one tainted NoSchedule', () => {
    const cluster = simulate(aDaemonSet('agent').build(), someNodes(2));
    cluster.settle();
    cluster.replaceNode(aNode('node-0').tainted('gone', 'NoExecute').build());
    cluster.replaceNode(aNode('node-1').tainted('drain', 'NoSchedule').build());

    const step = cluster.step();

    expect(step.actions).toEqual([
      expect.objectContaining({ kind: 'deletePod', nodeName: 'node-0', reason: 'ineligible' }),
    ]);
    expect(step.status).toMatchObject({ desiredNumberScheduled: 0, numberMisscheduled: 2 });
    cluster.finishTerminations();
    expect(cluster.step().status).toMatchObject({ numberMisscheduled: 1 });
  });

  it('creates no pod while a terminating one holds the node', () => {
    const cluster = simulate(aDaemonSet('agent').build(), someNodes(1));
    cluster.settle();
    cluster.pods = cluster.pods.map((pod) => ({ ...pod, deletionTimestamp: new Date(cluster.now).toISOString() }));

    expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 0 });
    cluster.finishTerminations();
    expect(countActions(cluster.step())).toEqual({ creates: 1, deletes: 0 });
  });

  it('collects the pods of a removed node outright', () => {
    const cluster = simulate(aDaemonSet('agent').build(), someNodes(2));
    cluster.settle();
    cluster.pods = cluster.pods.map((pod) =>
      pod.nodeName === 'node-1' ? { ...pod, deletionTimestamp: new Date(cluster.now).toISOString() } : pod,
    );

    cluster.removeNode('node-1');
    const step = cluster.step();

    expect(step.actions).toEqual([
      expect.objectContaining({ kind: 'deletePod', nodeName: 'node-1', reason: 'orphaned' }),
    ]);
    expect(cluster.podsOn('node-1')).toEqual([]);
  });

  it('issues at most burstReplicas creates and deletes per step, the rest in later steps', () => {
    const cluster = simulate(aDaemonSet('agent').withRollout({ burstReplicas: 2 }).build(), someNodes(5));

    const steps = [cluster.step(), cluster.step(), cluster.step(), cluster.step()].map(countActions);

    expect(steps).toEqual([
      { creates: 2, deletes: 0 },
      { creates: 2, deletes: 0 },
      { creates: 1, deletes: 0 },
      { creates: 0, deletes: 0 },
    ]);
  });

  it('names created pods deterministically, never reusing a name in a later step', () => {
    const first = simulate(aDaemonSet('agent').build(), someNodes(2));
    const second = simulate(aDaemonSet('agent').build(), someNodes(2));

    const names = first.plan().actions.map((action) => action.podName);
    const again = second.plan().actions.map((action) => action.podName);
    first.step();
    first.pods = [];
    const later = first.plan().actions.map((action) => action.podName);

    expect(names).toEqual(again);
    expect(names[0]).toMatch(/^agent-[bcdfghjklmnpqrstvwxz2456789]{10}$/);
    expect(new Set([...names, ...later]).size).toBe(4);
  });

  it('cuts a long DaemonSet name so pod names fit in 63 characters', () => {
    const name = 'a'.repeat(70);
    const cluster = simulate({ ...aDaemonSet(name).build(), selector: { matchLabels: { app: 'x' } } }, someNodes(1));

    const [create] = cluster.plan().actions;

    // As Kubernetes' generateName, the prefix (dash included) is cut: 53 + 10 = 63 characters.
    expect(create?.podName).toMatch(/^a{53}[bcdfghjklmnpqrstvwxz2456789]{10}$/);
  });

  it('deletes every pod of a DaemonSet being deleted, and nothing else', () => {
    const cluster = simulate(aDaemonSet('agent').build(), someNodes(3));
    cluster.settle();
    const status = cluster.status;
    cluster.pods = cluster.pods.map((pod) =>
      pod.nodeName === 'node-2' ? { ...pod, deletionTimestamp: new Date(cluster.now).toISOString() } : pod,
    );

    cluster.updateDaemonSet((ds) => ({ ...ds, deletionTimestamp: new Date(cluster.now).toISOString() }));
    const step = cluster.step();

    expect(step.actions).toEqual([
      expect.objectContaining({ kind: 'deletePod', nodeName: 'node-0', reason: 'daemonSetDeleted' }),
      expect.objectContaining({ kind: 'deletePod', nodeName: 'node-1', reason: 'daemonSetDeleted' }),
    ]);
    expect(step.revisions).toEqual([]);
    expect(step.status).toEqual(status);
  });

  it('refuses a DaemonSet that selects every pod', () => {
    const cluster = simulate({ ...aDaemonSet('agent').build(), selector: {} }, someNodes(1));

    const step = cluster.step();

    expect(step.actions).toEqual([]);
    expect(step.events).toEqual([expect.objectContaining({ type: 'Warning', reason: 'SelectingAll' })]);
  });
});
