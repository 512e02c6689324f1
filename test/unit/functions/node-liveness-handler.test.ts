import { describe, expect, it } from 'vitest';
import { makeNodeLivenessHandler } from '../../../functions/node-liveness-handler.js';
import type { IngestMessage } from '../../../lib/messages/ingest-message.js';
import { InMemoryClusterStore } from '../../../lib/store/memory/in-memory-cluster-store.js';
import { InMemoryHeartbeatStore } from '../../../lib/store/memory/in-memory-heartbeat-store.js';
import { aRecordingObservability } from '../../fixtures/events/recording-observability.js';

const NOW = Date.parse('2026-12-03T10:00:00Z');

describe('makeNodeLivenessHandler', () => {
  it('marks a silent node NotReady through a NodeUpdated fact and reports which', async () => {
    const store = new InMemoryClusterStore();
    const node = {
      name: 'gone',
      labels: {},
      taints: [],
      unschedulable: false,
      conditions: [{ type: 'Ready', status: 'True' as const, reason: 'KubeletReady' }],
      allocatable: {},
    };
    await store.putNode(node, new Date(NOW - 600_000).toISOString());
    await store.putNode({ ...node, name: 'alive' }, new Date(NOW - 600_000).toISOString());
    const heartbeats = new InMemoryHeartbeatStore();
    await heartbeats.renew('gone', new Date(NOW - 51_000).toISOString());
    await heartbeats.renew('alive', new Date(NOW - 5_000).toISOString());
    const sent: IngestMessage[] = [];
    const handler = makeNodeLivenessHandler({
      store,
      heartbeats,
      ingest: { send: async (messages) => void sent.push(...messages) },
      now: () => NOW,
      observability: aRecordingObservability(),
    });

    expect(await handler()).toEqual({ unreachable: ['gone'], recovered: [] });
    expect(sent.map((message) => message.type)).toEqual(['NodeUpdated']);
    expect(JSON.stringify(sent[0])).toContain('node.kubernetes.io/unreachable');
    expect(await handler()).toEqual({ unreachable: [], recovered: [] });
  });
});
