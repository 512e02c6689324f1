import { describe, expect, it, vi } from 'vitest';
import { SIZING } from '../../../infra/sizing.js';
import type { DaemonSetKey } from '../../../lib/model/daemon-set.js';
import type { ClusterSnapshot } from '../../../lib/ports/cluster-snapshot.js';
import type { ReconcileStep } from '../../../lib/ports/reconcile-step.js';
import { InMemoryClusterStore } from '../../../lib/store/memory/in-memory-cluster-store.js';
import { createLocalPipeline, STACK_RECONCILE_QUEUE } from '../../../local/local-pipeline.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';

const AT = '2026-12-04T00:00:00.000Z';

/** A store whose passes take a while, and which records how many passes of each DaemonSet ran at once. */
class SlowPassStore extends InMemoryClusterStore {
  readonly running = new Map<DaemonSetKey, number>();
  readonly mostAtOnce = new Map<DaemonSetKey, number>();
  passes = 0;

  override async loadSnapshot(key: DaemonSetKey): Promise<ClusterSnapshot | undefined> {
    const now = (this.running.get(key) ?? 0) + 1;
    this.running.set(key, now);
    this.mostAtOnce.set(key, Math.max(now, this.mostAtOnce.get(key) ?? 0));
    await new Promise((resolve) => setTimeout(resolve, 40));
    const snapshot = await super.loadSnapshot(key);
    if (snapshot === undefined) this.running.set(key, now - 1);
    return snapshot;
  }

  override async applyStep(key: DaemonSetKey, step: ReconcileStep, expectedVersion: number): Promise<void> {
    try {
      await super.applyStep(key, step, expectedVersion);
    } finally {
      this.passes += 1;
      this.running.set(key, (this.running.get(key) ?? 1) - 1);
    }
  }
}

describe('the local pipeline', () => {
  it('never runs two passes of one DaemonSet at once, and still runs every pass it was asked for', async () => {
    const store = new SlowPassStore();
    await store.applyDaemonSet(aDaemonSet('logs').build(), AT);
    await store.applyDaemonSet(aDaemonSet('metrics').build(), AT);
    await store.putNode(aNode('node-a').build(), AT);
    const pipeline = createLocalPipeline({ store, log: () => {} });
    pipeline.start();
    try {
      // A resync enqueues every DaemonSet whatever is pending, so these are four messages per DaemonSet, each sent
      // while the previous one's pass is still running.
      for (let round = 0; round < 4; round += 1) {
        await pipeline.resync();
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
      await vi.waitFor(() => expect([...store.running.values()].every((count) => count === 0)).toBe(true), {
        timeout: 5_000,
      });
      await new Promise((resolve) => setTimeout(resolve, 200));

      expect(Object.fromEntries(store.mostAtOnce)).toEqual({ 'default/logs': 1, 'default/metrics': 1 });
      // Passes of different DaemonSets ran side by side, and the messages held back were delivered, not dropped.
      expect(store.passes).toBeGreaterThanOrEqual(4);
      expect((await store.listPods('default/logs')).map((pod) => pod.nodeName)).toEqual(['node-a']);
      expect(pipeline.deadLetters()).toEqual({ ingest: [], reconcile: [] });
    } finally {
      await pipeline.stop();
    }
  });
});

describe("the local pipeline with the stack's queues", () => {
  it('delivers reconcile work as the deployed event source does', () => {
    expect(STACK_RECONCILE_QUEUE).toEqual({
      concurrency: SIZING.reconcile.maxConcurrency,
      batchSize: SIZING.reconcile.batchSize,
    });
  });

  it('runs passes of one DaemonSet side by side, as the stack does, and still converges', async () => {
    const store = new SlowPassStore();
    await store.applyDaemonSet(aDaemonSet('logs').build(), AT);
    await store.putNode(aNode('node-a').build(), AT);
    const pipeline = createLocalPipeline({ store, log: () => {}, queues: 'stack' });
    pipeline.start();
    try {
      for (let round = 0; round < 4; round += 1) {
        await pipeline.resync();
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
      await vi.waitFor(() => expect(store.running.get('default/logs')).toBe(0), { timeout: 5_000 });
      await new Promise((resolve) => setTimeout(resolve, 200));

      expect(store.mostAtOnce.get('default/logs')).toBeGreaterThan(1);
      expect((await store.listPods('default/logs')).map((pod) => pod.nodeName)).toEqual(['node-a']);
    } finally {
      await pipeline.stop();
    }
  });
});
