import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeIngestHandler } from '../../../functions/ingest-handler.js';
import { METRIC } from '../../../functions/shared/observability.js';
import { InMemoryClusterStore } from '../../../lib/store/memory/in-memory-cluster-store.js';
import { InMemoryHeartbeatStore } from '../../../lib/store/memory/in-memory-heartbeat-store.js';
import { aRecordingObservability } from '../../fixtures/events/recording-observability.js';
import { RecordingWorkQueue } from '../../fixtures/events/recording-work-queue.js';
import { anSqsEvent, anSqsRecord } from '../../fixtures/events/sqs-records.js';

const SAMPLES = join(import.meta.dirname, '../../fixtures/events/iot-presence');
const sample = (file: string): Record<string, unknown> => JSON.parse(readFileSync(join(SAMPLES, file), 'utf8'));
const NODE = 'i-0a1b2c3d4e5f67890';
/** The receiver's clock: after every sample. */
const NOW = Date.parse('2026-03-11T23:12:00Z');

function setUp(options: { wired?: boolean } = {}) {
  const store = new InMemoryClusterStore({ now: () => NOW });
  const heartbeats = new InMemoryHeartbeatStore();
  const workQueue = new RecordingWorkQueue();
  const observability = aRecordingObservability();
  const handler = makeIngestHandler({
    store,
    workQueue,
    observability,
    now: () => NOW,
    ...(options.wired === false ? {} : { heartbeats }),
  });
  return { store, heartbeats, workQueue, observability, handler };
}

describe('the ingest function, given AWS IoT presence events', () => {
  it('stores a connect on the node’s heartbeat item (a heartbeat at its time), and reconciles nothing', async () => {
    const { store, heartbeats, workQueue, observability, handler } = setUp();

    const response = await handler(anSqsEvent([anSqsRecord(sample('connected.json'))]));

    expect(response.batchItemFailures).toEqual([]);
    expect(await heartbeats.list()).toEqual([
      {
        nodeName: NODE,
        renewTime: '2026-03-11T21:32:05.412Z',
        presence: { connected: true, since: '2026-03-11T21:32:05.412Z', versionNumber: 7 },
      },
    ]);
    expect(workQueue.enqueued).toEqual([]);
    expect(await store.listNodes()).toEqual([]);
    expect(observability.metrics.counts.get(METRIC.factsStored)).toBe(1);
  });

  it('stores the disconnect after the connect, whichever arrives first, and a redelivery changes nothing', async () => {
    const { heartbeats, observability, handler } = setUp();
    const disconnect = anSqsRecord(sample('disconnected-keep-alive-timeout.json'));

    await handler(anSqsEvent([disconnect]));
    await handler(anSqsEvent([anSqsRecord(sample('connected.json')), disconnect]));

    expect(await heartbeats.list()).toEqual([
      {
        nodeName: NODE,
        renewTime: '2026-03-11T23:10:41.907Z',
        presence: {
          connected: false,
          since: '2026-03-11T23:10:41.907Z',
          versionNumber: 7,
          disconnectReason: 'MQTT_KEEP_ALIVE_TIMEOUT',
        },
      },
    ]);
    expect(observability.metrics.counts.get(METRIC.factsStored)).toBe(1);
  });

  it('keeps a new connection connected when the old one’s DUPLICATE_CLIENTID disconnect arrives after it', async () => {
    const { heartbeats, handler } = setUp();
    const newConnection = { ...sample('connected.json'), timestamp: 1773270642090, versionNumber: 8 };

    await handler(anSqsEvent([anSqsRecord(newConnection)]));
    await handler(anSqsEvent([anSqsRecord(sample('disconnected-duplicate-clientid.json'))]));

    const [heartbeat] = await heartbeats.list();
    expect(heartbeat?.presence).toEqual({ connected: true, since: '2026-03-11T23:10:42.090Z', versionNumber: 8 });
  });

  it('fails the record, to be retried and then dead-lettered, when no heartbeat store is wired', async () => {
    const { store, handler } = setUp({ wired: false });
    const record = anSqsRecord(sample('connected.json'));

    const response = await handler(anSqsEvent([record]));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(await store.listRejections()).toEqual([]);
  });
});
