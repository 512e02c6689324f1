import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../lib/model/pod.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { type Simulation, simulate, someNodes } from '../../fixtures/builders/simulate.js';

const nodesRunning = (cluster: Simulation, hash: string): readonly string[] =>
  cluster
    .activePods()
    .filter((pod: Pod) => pod.revisionHash === hash)
    .map((pod) => pod.nodeName)
    .toSorted();

describe('planReconcile progress deadline', () => {
  const withDeadline = (autoRevert = false) =>
    aDaemonSet('agent').withRollout({ progressDeadlineSeconds: 60, autoRevert }).withRollingUpdate(1).build();

  it('reports Progressing, then ProgressDeadlineExceeded once, and NewRevisionAvailable when done', () => {
    const cluster = simulate(withDeadline(), someNodes(2));
    cluster.settle();
    const available = cluster.status?.conditions;
    cluster.updateImage('agent:2');

    const progressing = cluster.step();
    cluster.finishTerminations().step();
    cluster.advance(61);
    const exceeded = cluster.step();
    const again = cluster.step();
    cluster.markReady();
    cluster.advance(1);
    const resumed = cluster.step();
    cluster.settle();

    expect(available).toEqual([
      expect.objectContaining({ type: 'Progressing', status: 'True', reason: 'NewRevisionAvailable' }),
    ]);
    expect(progressing.status.conditions).toEqual([
      expect.objectContaining({ status: 'True', reason: 'NewRevisionProgressing' }),
    ]);
    expect(progressing.recheckAfterSeconds).toBe(61);
    expect(exceeded.status.conditions).toEqual([
      expect.objectContaining({ status: 'False', reason: 'ProgressDeadlineExceeded' }),
    ]);
    expect(exceeded.events).toEqual([expect.objectContaining({ type: 'Warning', reason: 'ProgressDeadlineExceeded' })]);
    expect(again.events).toEqual([]);
    expect(resumed.status.conditions).toEqual([
      expect.objectContaining({ status: 'True', reason: 'NewRevisionProgressing' }),
    ]);
    expect(cluster.status?.conditions).toEqual([expect.objectContaining({ reason: 'NewRevisionAvailable' })]);
  });

  it('restarts the clock when a node joins a completed rollout', () => {
    const cluster = simulate(withDeadline(), someNodes(1));
    cluster.settle();
    cluster.advance(3600);

    cluster.addNode(aNode('node-9').build());
    const step = cluster.step();

    expect(step.status.conditions).toEqual([expect.objectContaining({ reason: 'NewRevisionProgressing' })]);
    expect(step.recheckAfterSeconds).toBe(61);
  });

  it('reverts to the last fully available revision with autoRevert', () => {
    const cluster = simulate(withDeadline(true), someNodes(3));
    cluster.settle();
    const good = cluster.hash;
    const goodTemplate = cluster.daemonSet.template;
    cluster.updateImage('agent:broken');
    cluster.step();
    cluster.finishTerminations().step();

    cluster.advance(61);
    const reverted = cluster.step();
    cluster.finishTerminations();
    cluster.settle();

    expect(reverted.revertTemplate).toEqual({ template: goodTemplate, toRevision: 1 });
    expect(reverted.events.map((event) => event.reason)).toEqual(['ProgressDeadlineExceeded', 'RolloutReverted']);
    expect(cluster.hash).toBe(good);
    expect(nodesRunning(cluster, good)).toEqual(['node-0', 'node-1', 'node-2']);
    expect(cluster.revisions.find((revision) => revision.hash === good)?.revision).toBe(3);
  });

  it('reports the deadline but does not revert without autoRevert', () => {
    const cluster = simulate(withDeadline(false), someNodes(2));
    cluster.settle();
    cluster.updateImage('agent:broken');
    cluster.step();

    cluster.advance(61);
    const step = cluster.step();

    expect(step.revertTemplate).toBeUndefined();
    expect(step.events.map((event) => event.reason)).toEqual(['ProgressDeadlineExceeded']);
  });

  it('stops the clock while paused', () => {
    const cluster = simulate(withDeadline(), someNodes(2));
    cluster.settle();
    cluster.updateImage('agent:2');
    cluster.step();
    cluster.updateDaemonSet((ds) => ({ ...ds, rollout: { ...ds.rollout, paused: true } }));

    cluster.advance(600);
    const paused = cluster.step();
    cluster.updateDaemonSet((ds) => ({ ...ds, rollout: { ...ds.rollout, paused: false } }));
    const resumed = cluster.step();

    expect(paused.status.conditions).toEqual([expect.objectContaining({ status: 'Unknown', reason: 'RolloutPaused' })]);
    expect(resumed.status.conditions).toEqual([
      expect.objectContaining({ status: 'True', reason: 'NewRevisionProgressing' }),
    ]);
  });
});
