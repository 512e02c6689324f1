import { describe, expect, it } from 'vitest';
import { makeIngestHandler } from '../../../functions/ingest-handler.js';
import type { ClusterStore } from '../../../lib/ports/cluster-store.js';
import { reconcile } from '../../../lib/reconcile/reconcile-pass.js';
import { InMemoryClusterStore } from '../../../lib/store/memory/in-memory-cluster-store.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aThrottlingError, withFailures } from '../../fixtures/events/failing-store.js';
import { aDaemonSetManifest, aNodeManifest } from '../../fixtures/events/manifests.js';
import { aRecordingObservability } from '../../fixtures/events/recording-observability.js';
import { RecordingWorkQueue } from '../../fixtures/events/recording-work-queue.js';
import { anSqsEvent, anSqsRecord, SENT_AT } from '../../fixtures/events/sqs-records.js';

function setUp(store: ClusterStore = new InMemoryClusterStore({ now: () => SENT_AT })) {
  const clock = { now: SENT_AT };
  const workQueue = new RecordingWorkQueue();
  const observability = aRecordingObservability();
  const handler = makeIngestHandler({ store, workQueue, observability, now: () => clock.now });
  return { store, clock, workQueue, observability, handler };
}

const applied = (name: string) => anSqsRecord({ type: 'DaemonSetApplied', manifest: aDaemonSetManifest(name) });
const joined = (name: string) => anSqsRecord({ type: 'NodeJoined', node: aNodeManifest(name) });
const keysOf = (queue: RecordingWorkQueue) => queue.drain().map(({ key }) => key);

describe('makeIngestHandler coalescing', () => {
  it('enqueues nothing for a daemon set whose reconcile is already pending', async () => {
    const { workQueue, observability, handler } = setUp();
    await handler(anSqsEvent([applied('logs')]));
    const first = keysOf(workQueue);

    await handler(anSqsEvent([joined('node-a')]));
    await handler(anSqsEvent([joined('node-b')]));

    expect(first).toEqual(['default/logs']);
    expect(keysOf(workQueue)).toEqual([]);
    expect(observability.metrics.counts.get('ReconcilesCoalesced')).toBe(2);
  });

  it('enqueues again once a reconcile pass has cleared the marker', async () => {
    const { store, workQueue, handler } = setUp();
    await handler(anSqsEvent([applied('logs')]));
    workQueue.drain();
    await handler(anSqsEvent([joined('node-a')]));

    await store.clearReconcilePending('default/logs');
    await handler(anSqsEvent([joined('node-b')]));

    expect(keysOf(workQueue)).toEqual(['default/logs']);
  });

  it('enqueues again once the pending marker is older than the timeout', async () => {
    const { clock, workQueue, handler } = setUp();
    await handler(anSqsEvent([applied('logs')]));
    workQueue.drain();

    clock.now = SENT_AT + 60_000;
    await handler(anSqsEvent([joined('node-a')]));
    const atTimeout = keysOf(workQueue);
    clock.now = SENT_AT + 60_001;
    await handler(anSqsEvent([joined('node-b')]));

    expect(atTimeout).toEqual([]);
    expect(keysOf(workQueue)).toEqual(['default/logs']);
  });

  it('enqueues only the daemon sets not already pending', async () => {
    const { workQueue, handler } = setUp();
    await handler(anSqsEvent([applied('logs')]));
    workQueue.drain();

    await handler(anSqsEvent([applied('metrics'), joined('node-a')]));

    expect(keysOf(workQueue)).toEqual(['default/metrics']);
  });

  it('enqueues anyway when the marker cannot be set', async () => {
    const store = new InMemoryClusterStore({ now: () => SENT_AT });
    await store.applyDaemonSet(aDaemonSet('logs').build(), new Date(SENT_AT).toISOString());
    await store.markReconcilePending('default/logs', SENT_AT, 60);
    const failing = withFailures(store, { markReconcilePending: () => aThrottlingError() });
    const { workQueue, handler } = setUp(failing);

    // A DaemonSet fact marks through the ingest (a node fact's node path reads the marker instead).
    const response = await handler(anSqsEvent([applied('logs')]));

    expect(response.batchItemFailures).toEqual([]);
    expect(keysOf(workQueue)).toEqual(['default/logs']);
  });

  it('enqueues a daemon set that has no state to mark', async () => {
    const { workQueue, handler } = setUp();
    const deleted = anSqsRecord({ type: 'DaemonSetDeleted', namespace: 'ops', name: 'ghost' });

    await handler(anSqsEvent([deleted]));
    await handler(anSqsEvent([deleted]));

    expect(keysOf(workQueue)).toEqual(['ops/ghost', 'ops/ghost']);
  });

  describe("a node join's own marker", () => {
    /** A settled `logs` DaemonSet (its pass ran, its marker cleared), and a store that counts ingest markings. */
    async function aSettledStore() {
      const store = new InMemoryClusterStore({ now: () => SENT_AT });
      await store.applyDaemonSet(aDaemonSet('logs').build(), new Date(SENT_AT).toISOString());
      await reconcile('default/logs', { store, now: () => SENT_AT });
      const markings: string[] = [];
      const counting = new Proxy(store, {
        get(target, property) {
          const value: unknown = Reflect.get(target, property);
          if (property === 'markReconcilePending') {
            return (key: string, now: number, timeout: number) => {
              markings.push(key);
              return target.markReconcilePending(key, now, timeout);
            };
          }
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      return { store, counting, markings };
    }

    it('is set in the step that places the pod: one message, no separate marking', async () => {
      const { store, counting, markings } = await aSettledStore();
      const { workQueue, handler } = setUp(counting);

      await handler(anSqsEvent([joined('node-a')]));
      const firstJoin = keysOf(workQueue);
      await handler(anSqsEvent([joined('node-b')]));

      expect(firstJoin).toEqual(['default/logs']);
      expect(markings).toEqual([]);
      // The second join's pod is written under the fresh marker: the pass already queued will see it.
      expect(keysOf(workQueue)).toEqual([]);
      expect((await store.listPods('default/logs')).map((pod) => pod.nodeName).sort()).toEqual(['node-a', 'node-b']);
    });

    it('is not trusted on a redelivered join, which enqueues whatever the marker says', async () => {
      const { counting } = await aSettledStore();
      const { workQueue, handler } = setUp(counting);
      await handler(anSqsEvent([joined('node-a')]));
      workQueue.drain();

      const again = anSqsRecord(
        { type: 'NodeJoined', node: aNodeManifest('node-a') },
        { attributes: { ...anSqsRecord({}).attributes, ApproximateReceiveCount: '2' } },
      );
      await handler(anSqsEvent([again]));

      expect(keysOf(workQueue)).toEqual(['default/logs']);
    });
  });
});
