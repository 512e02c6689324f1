import { describe, expect, it } from 'vitest';
import { makeResyncHandler } from '../../../functions/resync-handler.js';
import { InMemoryClusterStore } from '../../../lib/store/memory/in-memory-cluster-store.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aRecordingObservability } from '../../fixtures/events/recording-observability.js';
import { RecordingWorkQueue } from '../../fixtures/events/recording-work-queue.js';

describe('makeResyncHandler', () => {
  it('enqueues every daemon set', async () => {
    const store = new InMemoryClusterStore();
    await store.applyDaemonSet(aDaemonSet('logs').build(), '2026-01-01T00:00:00.000Z');
    await store.applyDaemonSet(aDaemonSet('metrics').build(), '2026-01-01T00:00:00.000Z');
    const workQueue = new RecordingWorkQueue();
    const handler = makeResyncHandler({ store, workQueue, observability: aRecordingObservability() });

    const result = await handler();

    expect(result).toEqual({ enqueued: 2 });
    expect(
      workQueue
        .drain()
        .map(({ key }) => key)
        .sort(),
    ).toEqual(['default/logs', 'default/metrics']);
  });
});
