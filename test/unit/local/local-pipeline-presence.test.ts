import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { InMemoryClusterStore } from '../../../lib/store/memory/in-memory-cluster-store.js';
import { InMemoryHeartbeatStore } from '../../../lib/store/memory/in-memory-heartbeat-store.js';
import { createLocalPipeline } from '../../../local/local-pipeline.js';

const SAMPLES = join(import.meta.dirname, '../../fixtures/events/iot-presence');

describe('the local pipeline, given an AWS IoT presence event', () => {
  it('stores it on the node’s heartbeat item, as the deployed ingest function does', async () => {
    const heartbeats = new InMemoryHeartbeatStore();
    const lines: string[] = [];
    const pipeline = createLocalPipeline({
      store: new InMemoryClusterStore(),
      heartbeats,
      log: (line) => lines.push(line),
    });
    pipeline.start();

    pipeline.ingestRaw(readFileSync(join(SAMPLES, 'connected.json'), 'utf8'));

    try {
      await vi.waitFor(async () => expect(await heartbeats.list()).toHaveLength(1), { timeout: 10_000 });
      const [heartbeat] = await heartbeats.list();
      expect(heartbeat?.presence).toEqual({ connected: true, since: '2026-03-11T21:32:05.412Z', versionNumber: 7 });
      expect(pipeline.deadLetters().ingest).toEqual([]);
      expect(lines.filter((line) => line.includes('failed'))).toEqual([]);
    } finally {
      await pipeline.stop();
    }
  });
});
