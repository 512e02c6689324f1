import { describe, expect, it } from 'vitest';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aPod, POD_EPOCH } from '../../fixtures/builders/a-pod.js';
import { countActions, simulate, someNodes } from '../../fixtures/builders/simulate.js';

const failedOn = (nodeName: string) => (pod: { nodeName: string }) => pod.nodeName === nodeName;

describe('planReconcile failed and succeeded pods', () => {
  it('deletes a failed pod with a warning and creates its replacement in the next step', () => {
    const cluster = simulate(aDaemonSet('agent').build(), someNodes(2));
    cluster.settle();
    cluster.endIn('Failed', failedOn('node-1'));

    const deleted = cluster.step();
    const replaced = cluster.step();

    expect(deleted.actions).toEqual([
      expect.objectContaining({ kind: 'deletePod', nodeName: 'node-1', reason: 'failed' }),
    ]);
    expect(deleted.events[0]).toMatchObject({
      type: 'Warning',
      reason: 'FailedDaemonPod',
      message: expect.stringMatching(
        /^Found failed daemon pod default\/agent-\w+ on node node-1, will try to kill it$/,
      ),
    });
    // A terminal pod being deleted no longer holds the node.
    expect(replaced.actions).toEqual([expect.objectContaining({ kind: 'createPod', nodeName: 'node-1' })]);
  });

  it('backs off failed-pod deletions on a node: 1 s, 2 s, 4 s ..., looking again when the backoff ends', () => {
    const cluster = simulate(aDaemonSet('agent').build(), someNodes(1));
    cluster.settle();
    const delays: number[] = [];

    for (const expected of [1, 2, 4, 8]) {
      cluster.endIn('Failed');
      expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 1 });
      cluster.finishTerminations();
      expect(countActions(cluster.step())).toEqual({ creates: 1, deletes: 0 });
      cluster.endIn('Failed');
      const held = cluster.step();
      expect(countActions(held)).toEqual({ creates: 0, deletes: 0 });
      delays.push(held.recheckAfterSeconds ?? 0);
      cluster.advance(expected - 0.001);
      expect(countActions(cluster.plan())).toEqual({ creates: 0, deletes: 0 });
      cluster.advance(0.001);
    }

    expect(delays).toEqual([1, 2, 4, 8]);
  });

  it('caps the failed-pod backoff at 15 minutes and resets it after 30 idle minutes', () => {
    const cluster = simulate(aDaemonSet('agent').build(), someNodes(1), {
      memory: { failedPodBackoff: { 'node-0': { generation: 1, delayMs: 15 * 60_000, lastUpdate: POD_EPOCH } } },
    });
    cluster.step();
    cluster.endIn('Failed');

    cluster.advance(15 * 60);
    cluster.step();
    const capped = cluster.memory.failedPodBackoff['node-0'];
    cluster.finishTerminations().step();
    cluster.endIn('Failed');
    cluster.advance(30 * 60 + 1);
    cluster.step();
    const reset = cluster.memory.failedPodBackoff['node-0'];

    expect(capped?.delayMs).toBe(15 * 60_000);
    expect(reset?.delayMs).toBe(1000);
  });

  it('starts a fresh backoff when the DaemonSet generation changes', () => {
    const memory = { failedPodBackoff: { 'node-0': { generation: 1, delayMs: 60_000, lastUpdate: POD_EPOCH } } };
    const cluster = simulate(aDaemonSet('agent').withGeneration(2).build(), someNodes(1), { memory });
    cluster.step();
    cluster.endIn('Failed');

    const step = cluster.step();

    expect(countActions(step)).toEqual({ creates: 0, deletes: 1 });
    expect(cluster.memory.failedPodBackoff['node-0']).toEqual({
      generation: 2,
      delayMs: 1000,
      lastUpdate: cluster.now,
    });
  });

  it('deletes at most one failed pod per node per step', () => {
    const hash = simulate(aDaemonSet('agent').build(), someNodes(1)).plan().status.updateRevision ?? '';
    const pods = ['a', 'b', 'c'].map((suffix) =>
      aPod(`agent-${suffix}`).on('node-0').atRevision(hash).inPhase('Failed').build(),
    );
    const cluster = simulate(aDaemonSet('agent').build(), someNodes(1), { pods });

    const step = cluster.step();

    expect(step.actions).toEqual([{ kind: 'deletePod', podName: 'agent-a', nodeName: 'node-0', reason: 'failed' }]);
    expect(step.recheckAfterSeconds).toBe(1);
  });

  it('deletes a succeeded pod with a normal event', () => {
    const cluster = simulate(aDaemonSet('agent').build(), someNodes(1));
    cluster.settle();
    cluster.endIn('Succeeded');

    const step = cluster.step();

    expect(step.actions).toEqual([expect.objectContaining({ reason: 'succeeded' })]);
    expect(step.events[0]).toMatchObject({ type: 'Normal', reason: 'SucceededDaemonPod' });
  });
});
