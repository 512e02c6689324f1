import { describe, expect, it } from 'vitest';
import { applyIngestEvent } from '../../../lib/reconcile/apply-ingest-event.js';
import { InMemoryClusterStore } from '../../../lib/store/memory/in-memory-cluster-store.js';
import { aNode } from '../../fixtures/builders/a-node.js';

const NOW_MS = Date.UTC(2026, 0, 1);

const JOINED = '2026-01-01T00:00:00.000Z';
const UPDATED = '2026-01-01T01:00:00.000Z';

describe('node events', () => {
  it('stamps a node that carries no creation time with its join time and keeps it on update', async () => {
    const store = new InMemoryClusterStore();
    const node = aNode('worker-1').build();

    await applyIngestEvent({ type: 'NodeJoined', node, observedAt: JOINED }, { store, now: () => NOW_MS });
    await applyIngestEvent(
      { type: 'NodeUpdated', node: aNode('worker-1').tainted('gpu', 'NoSchedule').build(), observedAt: UPDATED },
      { store, now: () => NOW_MS },
    );

    const stored = await store.getNode('worker-1');
    expect(stored?.creationTimestamp).toBe(JOINED);
    expect(stored?.taints).toEqual([{ key: 'gpu', effect: 'NoSchedule' }]);
  });
});
