import { describe, expect, it } from 'vitest';
import type { HeartbeatStore } from '../../lib/ports/heartbeat-store.js';
import { DynamoHeartbeatStore } from '../../lib/store/dynamo/dynamo-heartbeat-store.js';
import { InMemoryHeartbeatStore } from '../../lib/store/memory/in-memory-heartbeat-store.js';
import { localDynamo } from './local-dynamo.js';

const dynamo = localDynamo('heartbeats');
const at = (second: number): string => new Date(Date.UTC(2026, 11, 3, 10, 0, second)).toISOString();

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
});
