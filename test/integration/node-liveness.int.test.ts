import { describe, expect, it } from 'vitest';
import { checkNodeLiveness } from '../../functions/check-node-liveness.js';
import { makeIngestHandler } from '../../functions/ingest-handler.js';
import { toNode } from '../../lib/manifest/to-node.js';
import type { IngestMessage, IngestQueue } from '../../lib/messages/ingest-message.js';
import type { Node } from '../../lib/model/node.js';
import type { HeartbeatStore } from '../../lib/ports/heartbeat-store.js';
import { UNREACHABLE_TAINT_KEY } from '../../lib/reconcile/plan-node-liveness.js';
import { DynamoClusterStore } from '../../lib/store/dynamo/dynamo-cluster-store.js';
import { DynamoHeartbeatStore } from '../../lib/store/dynamo/dynamo-heartbeat-store.js';
import { aRecordingObservability } from '../fixtures/events/recording-observability.js';
import { RecordingWorkQueue } from '../fixtures/events/recording-work-queue.js';
import { anSqsEvent, anSqsRecord } from '../fixtures/events/sqs-records.js';
import { localDynamo } from './local-dynamo.js';

const dynamo = localDynamo('liveness');
const GRACE = 50_000;
const NOW = Date.parse('2026-12-03T10:00:00Z');
const ago = (ms: number, now = NOW): string => new Date(now - ms).toISOString();

const aNode = (name: string): Node => ({
  name,
  labels: {},
  taints: [],
  unschedulable: false,
  conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
  allocatable: {},
});

/** Records the facts a check sends and stores them as ingest does (a newer observation wins). */
class RecordingIngest implements IngestQueue {
  readonly sent: IngestMessage[] = [];
  failNext = false;
  readonly #store: DynamoClusterStore;
  constructor(store: DynamoClusterStore) {
    this.#store = store;
  }
  async send(messages: readonly IngestMessage[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('SQS is unavailable');
    }
    this.sent.push(...messages);
    for (const message of messages) {
      if (message.type !== 'NodeUpdated') continue;
      const node = toNode(message.node);
      if (!node.ok) throw new Error(`the check sent an invalid node: ${JSON.stringify(node.errors)}`);
      await this.#store.putNode(node.value, message.observedAt ?? new Date().toISOString());
    }
  }
  /** `<node> <unreachable|ready>` per fact sent, in order. */
  verdicts(): string[] {
    return this.sent.map((message) => {
      if (message.type !== 'NodeUpdated') return message.type;
      const node = toNode(message.node);
      if (!node.ok) return 'invalid node';
      const tainted = node.value.taints.some((taint) => taint.key === UNREACHABLE_TAINT_KEY);
      return `${node.value.name} ${tainted ? 'unreachable' : 'ready'}`;
    });
  }
}

async function fixture(names: readonly string[]) {
  const table = await dynamo.newTable();
  const store = new DynamoClusterStore(dynamo.documentClient, table);
  const heartbeats = new DynamoHeartbeatStore(dynamo.documentClient, table);
  for (const name of names) await store.putNode(aNode(name), ago(600_000));
  const ingest = new RecordingIngest(store);
  return { store, heartbeats, ingest, deps: { store, heartbeats, ingest, gracePeriodMs: GRACE } };
}

describe('the node lifecycle controller on DynamoDB Local', () => {
  it('marks each silent node once, however many checks overlap, and a repeated check sends nothing', async () => {
    const { heartbeats, ingest, deps } = await fixture(['silent-a', 'silent-b', 'alive', 'hand-joined']);
    await heartbeats.renew('silent-a', ago(GRACE + 1));
    await heartbeats.renew('silent-b', ago(GRACE * 3));
    await heartbeats.renew('alive', ago(GRACE - 10_000));

    const passes = await Promise.all(Array.from({ length: 4 }, () => checkNodeLiveness(deps, NOW)));

    expect(ingest.verdicts().toSorted()).toEqual(['silent-a unreachable', 'silent-b unreachable']);
    expect(
      passes
        .flat()
        .map(({ node }) => node.name)
        .toSorted(),
    ).toEqual(['silent-a', 'silent-b']);
    expect(await checkNodeLiveness(deps, NOW + 5_000)).toEqual([]);
    expect(ingest.sent).toHaveLength(2);
    const held = (await heartbeats.list()).filter((beat) => beat.unreachableSince !== undefined);
    expect(held.map((beat) => beat.nodeName).toSorted()).toEqual(['silent-a', 'silent-b']);
  });

  it('leaves alone a node that heartbeats between the check reading the heartbeats and claiming the change', async () => {
    const { heartbeats, ingest, deps } = await fixture(['flaky']);
    await heartbeats.renew('flaky', ago(GRACE * 2));
    const racing: HeartbeatStore = {
      renew: (name, time) => heartbeats.renew(name, time),
      recordPresence: (presence) => heartbeats.recordPresence(presence),
      remove: (name) => heartbeats.remove(name),
      claimVerdict: (...args) => heartbeats.claimVerdict(...args),
      releaseVerdict: (...args) => heartbeats.releaseVerdict(...args),
      list: async () => {
        const listed = await heartbeats.list();
        await heartbeats.renew('flaky', ago(1_000)); // the agent is back just after the list
        return listed;
      },
    };

    expect(await checkNodeLiveness({ ...deps, heartbeats: racing }, NOW)).toEqual([]);
    expect(ingest.sent).toEqual([]);
    expect(await checkNodeLiveness(deps, NOW)).toEqual([]);
  });

  it('brings a node back once when its heartbeats return, with concurrent checks', async () => {
    const { heartbeats, ingest, deps } = await fixture(['returning']);
    await heartbeats.renew('returning', ago(GRACE * 2));
    await checkNodeLiveness(deps, NOW);
    await heartbeats.renew('returning', ago(0, NOW + 10_000));

    await Promise.all([checkNodeLiveness(deps, NOW + 11_000), checkNodeLiveness(deps, NOW + 11_000)]);

    expect(ingest.verdicts()).toEqual(['returning unreachable', 'returning ready']);
    expect((await heartbeats.list())[0]?.unreachableSince).toBeUndefined();
  });

  it('gives its claims back when the facts cannot be sent, so the next check sends them', async () => {
    const { heartbeats, ingest, deps } = await fixture(['silent']);
    await heartbeats.renew('silent', ago(GRACE * 2));
    ingest.failNext = true;

    await expect(checkNodeLiveness(deps, NOW)).rejects.toThrow('SQS is unavailable');
    expect((await heartbeats.list())[0]?.unreachableSince).toBeUndefined();
    await checkNodeLiveness(deps, NOW + 60_000);

    expect(ingest.verdicts()).toEqual(['silent unreachable']);
  });

  it('reads no node when nothing changed: a quiet cluster costs the heartbeat shards alone', async () => {
    const { store, heartbeats, deps } = await fixture(['a', 'b', 'c']);
    for (const name of ['a', 'b', 'c']) await heartbeats.renew(name, ago(1_000));
    let nodeReads = 0;
    const counting = {
      getNode: (name: string) => {
        nodeReads += 1;
        return store.getNode(name);
      },
    };

    await checkNodeLiveness({ ...deps, store: counting }, NOW);
    expect(nodeReads).toBe(0);
    await heartbeats.renew('b', ago(GRACE * 2, NOW - 100_000)); // older: changes nothing
    await checkNodeLiveness({ ...deps, store: counting }, NOW + GRACE + 500);
    // a, b and c are all silent now; each is read once.
    expect(nodeReads).toBe(3);
  });
});

/** An AWS IoT lifecycle event of `node`'s agent, as the IoT rule puts it on the ingest queue. */
const lifecycleEvent = (
  node: string,
  eventType: 'connected' | 'disconnected',
  versionNumber: number,
  time: number,
  reason = 'MQTT_KEEP_ALIVE_TIMEOUT',
) => ({
  clientId: node,
  timestamp: time,
  eventType,
  sessionIdentifier: `session-${versionNumber}`,
  principalIdentifier: 'AROAEXAMPLE:worker',
  versionNumber,
  ...(eventType === 'connected'
    ? { ipAddress: '192.0.2.17' }
    : { clientInitiatedDisconnect: false, disconnectReason: reason }),
});

describe('the node lifecycle controller on DynamoDB Local, with agents on AWS IoT Core', () => {
  it('holds a connected agent’s node Ready, marks it once after a disconnect and its grace, and brings it back on reconnect, whatever the delivery order', async () => {
    const { heartbeats, ingest, deps, store } = await fixture(['mqtt-node', 'http-node']);
    let clock = NOW;
    const ingestHandler = makeIngestHandler({
      store,
      heartbeats,
      workQueue: new RecordingWorkQueue(),
      observability: aRecordingObservability(),
      now: () => clock,
    });
    const deliver = async (...bodies: unknown[]) => {
      const response = await ingestHandler(anSqsEvent(bodies.map((body) => anSqsRecord(body))));
      expect(response.batchItemFailures).toEqual([]);
    };
    await heartbeats.renew('http-node', ago(1_000)); // an HTTP agent: judged as before
    const firstConnect = lifecycleEvent('mqtt-node', 'connected', 5, NOW - 3_600_000);
    await deliver(firstConnect);

    // An hour without a heartbeat, but connected: Ready.
    expect(await checkNodeLiveness(deps, NOW)).toEqual([]);

    // The agent restarts: the new connection replaces the old one, whose DUPLICATE_CLIENTID disconnect comes
    // after it, twice; the first connect is redelivered too.
    const reconnect = lifecycleEvent('mqtt-node', 'connected', 6, NOW + 1_000);
    const replaced = lifecycleEvent('mqtt-node', 'disconnected', 5, NOW + 1_050, 'DUPLICATE_CLIENTID');
    clock = NOW + 2_000;
    await deliver(reconnect, replaced);
    await deliver(replaced, firstConnect);
    const changed = await checkNodeLiveness(deps, NOW + 10 * GRACE);
    expect(changed.map(({ node }) => node.name)).toEqual(['http-node']); // its heartbeats stopped
    expect(ingest.verdicts()).toEqual(['http-node unreachable']);

    // The host goes silent: the broker closes the connection (reason MQTT_KEEP_ALIVE_TIMEOUT); the event comes twice.
    const lost = lifecycleEvent('mqtt-node', 'disconnected', 6, NOW + 11 * GRACE);
    clock = NOW + 11 * GRACE;
    await deliver(lost, lost);
    expect(await checkNodeLiveness(deps, NOW + 12 * GRACE)).toEqual([]); // within the grace period
    await Promise.all([checkNodeLiveness(deps, NOW + 12 * GRACE + 1), checkNodeLiveness(deps, NOW + 12 * GRACE + 1)]);
    expect(ingest.verdicts()).toEqual(['http-node unreachable', 'mqtt-node unreachable']);

    // A late copy of the restart's connect changes nothing; a new connection brings the node back once.
    clock = NOW + 13 * GRACE;
    await deliver(reconnect);
    expect(await checkNodeLiveness(deps, NOW + 13 * GRACE)).toEqual([]);
    await deliver(lifecycleEvent('mqtt-node', 'connected', 7, NOW + 13 * GRACE));
    await Promise.all([checkNodeLiveness(deps, NOW + 14 * GRACE), checkNodeLiveness(deps, NOW + 14 * GRACE)]);

    expect(ingest.verdicts()).toEqual(['http-node unreachable', 'mqtt-node unreachable', 'mqtt-node ready']);
    const node = await store.getNode('mqtt-node');
    expect(node?.taints).toEqual([]);
    expect(node?.conditions.find((condition) => condition.type === 'Ready')?.status).toBe('True');
  });
});
