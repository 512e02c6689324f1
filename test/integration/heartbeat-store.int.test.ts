import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { AgentPresence } from '../../lib/model/agent-presence.js';
import type { HeartbeatStore } from '../../lib/ports/heartbeat-store.js';
import { DynamoHeartbeatStore } from '../../lib/store/dynamo/dynamo-heartbeat-store.js';
import { InMemoryHeartbeatStore } from '../../lib/store/memory/in-memory-heartbeat-store.js';
import { arbDeliveries, arbPresenceHistory, endOf } from '../fixtures/events/presence-history.js';
import { localDynamo } from './local-dynamo.js';

const dynamo = localDynamo('heartbeats');
const at = (second: number): string => new Date(Date.UTC(2026, 11, 3, 10, 0, second)).toISOString();
const connected = (versionNumber: number, time: string, nodeName = 'node-a'): AgentPresence => ({
  nodeName,
  connected: true,
  time,
  versionNumber,
});
const disconnected = (versionNumber: number, time: string, reason = 'MQTT_KEEP_ALIVE_TIMEOUT'): AgentPresence => ({
  nodeName: 'node-a',
  connected: false,
  time,
  versionNumber,
  disconnectReason: reason,
});

describe.each([
  [
    'DynamoDB Local',
    async (): Promise<HeartbeatStore> => new DynamoHeartbeatStore(dynamo.documentClient, await dynamo.newTable()),
  ],
  ['memory', async (): Promise<HeartbeatStore> => new InMemoryHeartbeatStore()],
])('heartbeat store (%s)', (_name, makeStore) => {
  it('keeps the newest renew time of each node; late, repeated and concurrent renews change nothing', async () => {
    const store = await makeStore();
    await store.renew('node-a', at(10));
    await store.renew('node-a', at(5)); // arrives late
    await store.renew('node-a', at(10)); // redelivered
    await Promise.all([at(20), at(30), at(25)].map((time) => store.renew('node-b', time)));

    const listed = (await store.list()).toSorted((a, b) => a.nodeName.localeCompare(b.nodeName));
    expect(listed).toEqual([
      { nodeName: 'node-a', renewTime: at(10) },
      { nodeName: 'node-b', renewTime: at(30) },
    ]);
  });

  it('lists nodes across every shard, and forgets a removed node', async () => {
    const store = await makeStore();
    const names = Array.from({ length: 40 }, (_, index) => `node-${index}`);
    await Promise.all(names.map((name) => store.renew(name, at(1))));
    await store.remove('node-7');
    const listed = (await store.list()).map((heartbeat) => heartbeat.nodeName);
    expect(listed.toSorted()).toEqual(names.filter((name) => name !== 'node-7').toSorted());
  });

  it('claims a verdict once, only while the heartbeat supports it, and gives it back', async () => {
    const store = await makeStore();
    await store.renew('node-a', at(10));
    const cutoff = Date.parse(at(20));

    expect(await store.claimVerdict('node-a', 'recovered', cutoff, at(30))).toBe(false); // none held
    expect(await store.claimVerdict('node-a', 'unreachable', Date.parse(at(10)), at(30))).toBe(false); // not stale
    const claims = await Promise.all([1, 2, 3].map(() => store.claimVerdict('node-a', 'unreachable', cutoff, at(30))));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await store.claimVerdict('missing', 'unreachable', cutoff, at(30))).toBe(false);
    expect(await store.list()).toEqual([{ nodeName: 'node-a', renewTime: at(10), unreachableSince: at(30) }]);

    await store.releaseVerdict('node-a', 'unreachable', at(29)); // another check's claim: kept
    expect((await store.list())[0]?.unreachableSince).toBe(at(30));
    await store.releaseVerdict('node-a', 'unreachable', at(30));
    expect((await store.list())[0]?.unreachableSince).toBeUndefined();

    await store.claimVerdict('node-a', 'unreachable', cutoff, at(30));
    await store.renew('node-a', at(40)); // a renew keeps the verdict: only the controller changes it
    expect((await store.list())[0]?.unreachableSince).toBe(at(30));
    expect(await store.claimVerdict('node-a', 'recovered', Date.parse(at(41)), at(50))).toBe(false); // still stale
    expect(await store.claimVerdict('node-a', 'recovered', Date.parse(at(40)), at(50))).toBe(true);
    expect(await store.claimVerdict('node-a', 'recovered', Date.parse(at(40)), at(50))).toBe(false);
    await store.releaseVerdict('node-a', 'recovered', at(50));
    expect((await store.list())[0]?.unreachableSince).toBe(at(50));
  });

  it('records an agent’s connection with its time as a heartbeat; a redelivered or older event changes nothing', async () => {
    const store = await makeStore();

    expect(await store.recordPresence(connected(7, at(10)))).toBe(true);
    expect(await store.recordPresence(connected(7, at(10)))).toBe(false); // redelivered
    expect(await store.list()).toEqual([
      { nodeName: 'node-a', renewTime: at(10), presence: { connected: true, since: at(10), versionNumber: 7 } },
    ]);
    expect(await store.recordPresence(disconnected(7, at(40)))).toBe(true);
    expect(await store.recordPresence(connected(7, at(10)))).toBe(false); // the same connection's connect, late
    expect(await store.recordPresence(disconnected(6, at(50)))).toBe(false); // an older connection's, stamped later

    expect(await store.list()).toEqual([
      {
        nodeName: 'node-a',
        renewTime: at(50),
        presence: { connected: false, since: at(40), versionNumber: 7, disconnectReason: 'MQTT_KEEP_ALIVE_TIMEOUT' },
      },
    ]);
  });

  it('keeps a new connection when the old one’s DUPLICATE_CLIENTID disconnect follows it', async () => {
    const store = await makeStore();
    await store.recordPresence(connected(3, at(0)));

    await store.recordPresence(connected(4, at(30)));
    await store.recordPresence(disconnected(3, at(31), 'DUPLICATE_CLIENTID'));

    expect((await store.list())[0]?.presence).toEqual({ connected: true, since: at(30), versionNumber: 4 });
  });

  it('takes a connection whose version was reset after an hour offline', async () => {
    const store = await makeStore();
    await store.recordPresence(disconnected(12, at(0)));
    const anHourLater = new Date(Date.parse(at(0)) + 65 * 60_000).toISOString();

    expect(await store.recordPresence(connected(0, anHourLater))).toBe(true);
    expect(await store.recordPresence(disconnected(12, at(0)))).toBe(false);

    expect((await store.list())[0]?.presence).toEqual({ connected: true, since: anHourLater, versionNumber: 0 });
  });

  it('keeps presence and HTTP heartbeats on one item: a renew keeps the presence, a removal forgets both', async () => {
    const store = await makeStore();
    await store.recordPresence(connected(1, at(10)));

    await store.renew('node-a', at(20));

    expect(await store.list()).toEqual([
      { nodeName: 'node-a', renewTime: at(20), presence: { connected: true, since: at(10), versionNumber: 1 } },
    ]);
    await store.remove('node-a');
    expect(await store.list()).toEqual([]);
  });

  it('claims no unreachable verdict while the agent is connected, and judges a disconnect from its time', async () => {
    const store = await makeStore();
    await store.recordPresence(connected(1, at(0)));
    const late = Date.parse(at(59));

    expect(await store.claimVerdict('node-a', 'unreachable', late, at(59))).toBe(false);
    await store.recordPresence(disconnected(1, at(30)));
    expect(await store.claimVerdict('node-a', 'unreachable', Date.parse(at(30)), at(59))).toBe(false); // within grace
    expect(await store.claimVerdict('node-a', 'unreachable', Date.parse(at(31)), at(59))).toBe(true);

    expect(await store.claimVerdict('node-a', 'recovered', late, at(59))).toBe(false); // still disconnected
    await store.recordPresence(connected(2, at(45))); // renewed at 45, before the cutoff: the connection vouches
    expect(await store.claimVerdict('node-a', 'recovered', late, at(59))).toBe(true);
  });

  it('ends on the last connection’s last event however an at-least-once queue delivers a history', async () => {
    const store = await makeStore();
    let node = 0;
    await fc.assert(
      fc.asyncProperty(
        arbPresenceHistory().chain((history) => arbDeliveries(history).map((deliveries) => ({ history, deliveries }))),
        async ({ history, deliveries }) => {
          node += 1;
          const nodeName = `node-${node}`;
          // Deliveries race in pairs, as concurrent ingest batches do.
          for (let index = 0; index < deliveries.length; index += 2) {
            await Promise.all(
              deliveries.slice(index, index + 2).map((event) => store.recordPresence({ ...event, nodeName })),
            );
          }

          const heartbeat = (await store.list()).find((beat) => beat.nodeName === nodeName);
          const end = endOf(history);
          expect(heartbeat?.presence).toEqual(end.presence);
          expect(heartbeat?.renewTime).toBe(end.renewTime);
        },
      ),
      { numRuns: 25 },
    );
  });
});
