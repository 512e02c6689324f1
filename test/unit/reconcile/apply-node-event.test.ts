import { describe, expect, it } from 'vitest';
import type { ClusterStore } from '../../../lib/ports/cluster-store.js';
import { VersionConflictError } from '../../../lib/ports/errors.js';
import { applyNodeEvent } from '../../../lib/reconcile/apply-node-event.js';
import { reconcile } from '../../../lib/reconcile/reconcile-pass.js';
import { InMemoryClusterStore } from '../../../lib/store/memory/in-memory-cluster-store.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { withFailures } from '../../fixtures/events/failing-store.js';

const NOW = Date.UTC(2026, 0, 1);
const at = (seconds: number): string => new Date(NOW + seconds * 1000).toISOString();
const LOGS = 'default/logs';
const GPU = 'default/gpu-monitor';

/** Two settled DaemonSets (their passes ran) on one worker: logs everywhere, the GPU monitor on GPU nodes only. */
async function aSettledCluster(): Promise<InMemoryClusterStore> {
  const store = new InMemoryClusterStore({ now: () => NOW });
  await store.putNode(aNode('worker-1').build(), at(0));
  await store.applyDaemonSet(aDaemonSet('logs').build(), at(0));
  await store.applyDaemonSet(
    aDaemonSet('gpu-monitor').withNodeSelector({ 'nvidia.com/gpu.present': 'true' }).build(),
    at(0),
  );
  for (const key of [LOGS, GPU]) await reconcile(key, { store, now: () => NOW });
  return store;
}

const podsOn = async (store: ClusterStore, key: string, nodeName: string) =>
  (await store.listPods(key)).filter((pod) => pod.nodeName === nodeName);

describe('the node path', () => {
  it('gives a joining node the pods of every DaemonSet that selects it, without a DaemonSet pass', async () => {
    const store = await aSettledCluster();
    await store.putNode(aNode('gpu-1').labelled({ 'nvidia.com/gpu.present': 'true' }).build(), at(1));

    const needsPass = await applyNodeEvent('gpu-1', { store, now: () => NOW });

    expect(await podsOn(store, LOGS, 'gpu-1')).toHaveLength(1);
    expect(await podsOn(store, GPU, 'gpu-1')).toHaveLength(1);
    expect(needsPass).toEqual([GPU, LOGS]);
  });

  it('names only the DaemonSets whose status counts the node', async () => {
    const store = await aSettledCluster();
    await store.putNode(aNode('worker-2').build(), at(1));

    const needsPass = await applyNodeEvent('worker-2', { store, now: () => NOW });

    expect(needsPass).toEqual([LOGS]);
    expect(await podsOn(store, GPU, 'worker-2')).toEqual([]);
  });

  it('creates nothing twice when the same node event is handled again', async () => {
    const store = await aSettledCluster();
    await store.putNode(aNode('worker-2').build(), at(1));

    await applyNodeEvent('worker-2', { store, now: () => NOW });
    await applyNodeEvent('worker-2', { store, now: () => NOW });

    expect(await podsOn(store, LOGS, 'worker-2')).toHaveLength(1);
  });

  it('marks the pod deleted on a node tainted NoExecute, and keeps it under NoSchedule', async () => {
    const store = await aSettledCluster();

    await store.putNode(aNode('worker-1').tainted('maintenance', 'NoSchedule').build(), at(1));
    await applyNodeEvent('worker-1', { store, now: () => NOW });
    const kept = await podsOn(store, LOGS, 'worker-1');
    await store.putNode(aNode('worker-1').tainted('maintenance', 'NoExecute').build(), at(2));
    await applyNodeEvent('worker-1', { store, now: () => NOW });
    const evicted = await podsOn(store, LOGS, 'worker-1');

    expect(kept.map((pod) => pod.deletionTimestamp)).toEqual([undefined]);
    expect(evicted.map((pod) => pod.deletionTimestamp)).toEqual([new Date(NOW).toISOString()]);
  });

  it('collects the pods of a node that is gone, at once', async () => {
    const store = await aSettledCluster();

    await store.removeNode('worker-1', at(1));
    const needsPass = await applyNodeEvent('worker-1', { store, now: () => NOW });

    expect(await podsOn(store, LOGS, 'worker-1')).toEqual([]);
    expect(needsPass).toEqual([LOGS]);
  });

  it('creates nothing for a frozen DaemonSet', async () => {
    const store = await aSettledCluster();
    await store.updateDaemonSet(LOGS, (current) => ({ ...current, rollout: { ...current.rollout, frozen: true } }));
    await reconcile(LOGS, { store, now: () => NOW });
    await store.putNode(aNode('worker-2').build(), at(1));

    await applyNodeEvent('worker-2', { store, now: () => NOW });

    expect(await podsOn(store, LOGS, 'worker-2')).toEqual([]);
  });

  it('leaves a DaemonSet whose new spec no pass has seen yet to that pass', async () => {
    const store = await aSettledCluster();
    await store.applyDaemonSet(aDaemonSet('logs').withImage('fluent-bit:2').build(), at(1));
    await store.putNode(aNode('worker-2').build(), at(2));

    const needsPass = await applyNodeEvent('worker-2', { store, now: () => NOW });

    expect(await podsOn(store, LOGS, 'worker-2')).toEqual([]);
    expect(needsPass).toContain(LOGS);
  });

  it('hands the node to the DaemonSet pass when the DaemonSet keeps moving', async () => {
    const store = await aSettledCluster();
    await store.putNode(aNode('worker-2').build(), at(1));
    const busy = withFailures(store, { applyStep: () => new VersionConflictError(LOGS) });

    const needsPass = await applyNodeEvent('worker-2', { store: busy, now: () => NOW, maxAttempts: 2 });

    expect(needsPass).toContain(LOGS);
    expect(await podsOn(store, LOGS, 'worker-2')).toEqual([]);
  });
});

describe("the node path's own pending marker", () => {
  const TIMEOUT = 60;
  const marking = (store: ClusterStore, marked: string[], now = NOW) => ({
    store,
    now: () => now,
    pendingMarks: { timeoutSeconds: TIMEOUT, marked: (key: string) => marked.push(key) },
  });

  it('sets the marker in the step that places the pod, and names the DaemonSet to enqueue without marking', async () => {
    const store = await aSettledCluster();
    await store.putNode(aNode('worker-2').build(), at(1));
    const marked: string[] = [];

    const needsPass = await applyNodeEvent('worker-2', marking(store, marked));

    expect(await podsOn(store, LOGS, 'worker-2')).toHaveLength(1);
    expect(marked).toEqual([LOGS]);
    expect(needsPass).toEqual([]);
    // The marker is set: an ingest marking now finds the pass already pending.
    expect(await store.markReconcilePending(LOGS, NOW, TIMEOUT)).toBe('coalesced');
  });

  it('leaves the DaemonSet to the pass already pending when the marker was fresh, and writes the pod under it', async () => {
    const store = await aSettledCluster();
    await store.markReconcilePending(LOGS, NOW - 1_000, TIMEOUT);
    await store.putNode(aNode('worker-2').build(), at(1));
    const marked: string[] = [];

    const needsPass = await applyNodeEvent('worker-2', marking(store, marked));

    expect(await podsOn(store, LOGS, 'worker-2')).toHaveLength(1);
    expect(marked).toEqual([]);
    expect(needsPass).toEqual([]);
  });

  it('marks again over a marker that timed out (its message is presumed lost)', async () => {
    const store = await aSettledCluster();
    await store.markReconcilePending(LOGS, NOW - (TIMEOUT + 1) * 1000, TIMEOUT);
    await store.putNode(aNode('worker-2').build(), at(1));
    const marked: string[] = [];

    await applyNodeEvent('worker-2', marking(store, marked));

    expect(marked).toEqual([LOGS]);
  });

  it('does not write the pod under a marker that the pending pass cleared meanwhile: it decides again', async () => {
    const store = await aSettledCluster();
    await store.markReconcilePending(LOGS, NOW - 1_000, TIMEOUT);
    await store.putNode(aNode('worker-2').build(), at(1));
    const marked: string[] = [];
    let cleared = false;
    // The pending pass clears its marker (and loads) between the node path's read and its write.
    const racing = new Proxy(store, {
      get(target, property) {
        if (property !== 'applyStep' || cleared) {
          const value: unknown = Reflect.get(target, property);
          return typeof value === 'function' ? value.bind(target) : value;
        }
        return async (...args: Parameters<ClusterStore['applyStep']>) => {
          cleared = true;
          await target.clearReconcilePending(LOGS);
          return target.applyStep(...args);
        };
      },
    });

    const needsPass = await applyNodeEvent('worker-2', marking(racing, marked));

    // The first write was refused; read again, the marker is gone, so the retry sets it and enqueues.
    expect(await podsOn(store, LOGS, 'worker-2')).toHaveLength(1);
    expect(marked).toEqual([LOGS]);
    expect(needsPass).toEqual([]);
  });

  it('without a step to write, leaves a DaemonSet to its fresh marker and names it otherwise', async () => {
    const store = await aSettledCluster();
    await store.putNode(aNode('worker-2').build(), at(1));
    await applyNodeEvent('worker-2', { store, now: () => NOW });
    await store.clearReconcilePending(LOGS);
    const marked: string[] = [];

    const withoutMarker = await applyNodeEvent('worker-2', marking(store, marked));
    await store.markReconcilePending(LOGS, NOW, TIMEOUT);
    const withMarker = await applyNodeEvent('worker-2', marking(store, marked));

    expect([withoutMarker, withMarker, marked]).toEqual([[LOGS], [], []]);
  });
});
