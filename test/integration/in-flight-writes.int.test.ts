import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoClusterStore, type DynamoClusterStoreOptions } from '../../lib/store/dynamo/dynamo-cluster-store.js';
import { InFlightWrites } from '../../lib/store/dynamo/in-flight-writes.js';
import { aDaemonSet } from '../fixtures/builders/a-daemon-set.js';
import { aNode } from '../fixtures/builders/a-node.js';
import { localDynamo } from './local-dynamo.js';
import { aReport, aRevision, aStep, createPod } from './store-contract-fixtures.js';

// The local control plane is its table's only writer, so its stores share `InFlightWrites` and their warm reads
// look back only past the writes still under way instead of `writeLagMs`. These tests hold a write back on the
// wire while a warm read runs, and check that the next read still sees it once it lands.

const { documentClient, newTable } = localDynamo('in-flight-writes');
const T0 = Date.UTC(2026, 0, 1) + 3_600_000;
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();
const KEY = 'default/agent';

type Sent = Readonly<{ constructor: { name: string }; input: Record<string, unknown> }>;

/** A document client that shows every request to `see` (which may hold it back) before sending it. */
function spying(see: (command: Sent) => void | Promise<void>): DynamoDBDocumentClient {
  return Object.assign(Object.create(documentClient), {
    send: async (command: Sent) => {
      await see(command);
      return documentClient.send(command as never);
    },
  }) as DynamoDBDocumentClient;
}

/** A write held on the wire until `release` is called. */
function aGate(): { hold: Promise<void>; release: () => void } {
  let release = (): void => {};
  const hold = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { hold, release };
}

async function aTable() {
  const tableName = await newTable();
  const store = (options: DynamoClusterStoreOptions, client = documentClient) =>
    new DynamoClusterStore(client, tableName, options);
  await store({ now: () => T0 }).applyDaemonSet(aDaemonSet('agent').build(), at(0));
  return store;
}

/** The node a writer joins while its request is held back, and what a reader's three warm reads saw. */
async function joinWhileReading(options: Omit<DynamoClusterStoreOptions, 'now'>) {
  const store = await aTable();
  let now = T0;
  const gate = aGate();
  const reader = store({ ...options, now: () => now });
  const held = spying(async (command) => {
    if (command.constructor.name === 'PutCommand') await gate.hold;
  });
  // The writer's clock stands still: whatever it stamps, it stamps when its call begins.
  const writer = store({ ...options, now: () => T0 + 10_000 }, held);
  await store({ ...options, now: () => now }).putNode(aNode('node-a').build(), at(1));
  await reader.loadSnapshot(KEY);

  now += 10_000;
  const joining = writer.putNode(aNode('node-late').build(), at(2));
  now += 60_000;
  const during = await reader.loadSnapshot(KEY);
  gate.release();
  await joining;
  now += 60_000;
  const after = await reader.loadSnapshot(KEY);
  return {
    during: during?.nodes.map((node) => node.name),
    after: after?.nodes.map((node) => node.name),
  };
}

describe('warm reads of a process that is its table only writer', () => {
  it('see a write that was stamped before a read and landed after it', async () => {
    const seen = await joinWhileReading({ inFlightWrites: new InFlightWrites(), writeLagMs: 1_000 });

    expect(seen.during).toEqual(['node-a']);
    expect(seen.after).toEqual(['node-a', 'node-late']);
  });

  it('would miss it with a look-back shorter than the write took, which is why the calls under way are tracked', async () => {
    const seen = await joinWhileReading({ writeLagMs: 1_000 });

    expect(seen.after).toEqual(['node-a']);
  });

  it('look back only to their previous read once nothing is under way, not writeLagMs', async () => {
    const store = await aTable();
    let now = T0;
    const inFlightWrites = new InFlightWrites();
    const since: number[] = [];
    const reader = store(
      { inFlightWrites, now: () => now },
      spying((command) => {
        if (command.input['IndexName'] === 'bySeq') {
          since.push((command.input['ExpressionAttributeValues'] as Record<string, number>)[':since'] ?? 0);
        }
      }),
    );
    const writer = store({ inFlightWrites, now: () => now });
    const template = aDaemonSet('agent').build().template;
    await writer.applyStep(
      KEY,
      aStep({
        revisions: [{ kind: 'createRevision', revision: aRevision('hash-1', 1, template) }],
        actions: [createPod('agent-a', 'node-a')],
      }),
      (await writer.getDaemonSet(KEY))?.version ?? 0,
    );
    await reader.loadSnapshot(KEY);
    const firstRead = now;

    now += 300_000;
    await writer.putPodStatus(aReport('agent-a', 'node-a', at(400)));
    const warm = await reader.loadSnapshot(KEY);

    // One bySeq query, the partition's, from the previous read less the clock allowance (no node was written since
    // the last fleet read, so the fleet is not read).
    expect(since).toHaveLength(1);
    expect(new Set(since)).toEqual(new Set([firstRead - 2_000]));
    expect(warm?.pods.map((pod) => [pod.name, pod.phase, pod.ready])).toEqual([['agent-a', 'Running', true]]);
  });

  it('do not read the fleet again while no node was written since, and read what a join wrote', async () => {
    const store = await aTable();
    let now = T0;
    const inFlightWrites = new InFlightWrites();
    let shardQueries = 0;
    const reader = store(
      { inFlightWrites, now: () => now },
      spying((command) => {
        const values = command.input['ExpressionAttributeValues'] as Record<string, unknown> | undefined;
        if (String(values?.[':pk']).startsWith('NODES#')) shardQueries += 1;
      }),
    );
    const writer = store({ inFlightWrites, now: () => now });
    await writer.putNode(aNode('node-a').build(), at(1));
    await reader.loadSnapshot(KEY);
    const first = shardQueries;

    now += 1_000;
    await writer.putPodStatus(aReport('agent-a', 'node-a', at(2)));
    const quiet = await reader.loadSnapshot(KEY);
    const afterQuiet = shardQueries;
    await writer.putNode(aNode('node-b').build(), at(3));
    const joined = await reader.loadSnapshot(KEY);

    expect(first).toBe(8);
    expect(afterQuiet).toBe(8);
    expect(quiet?.nodes.map((node) => node.name)).toEqual(['node-a']);
    expect(shardQueries).toBe(16);
    expect(joined?.nodes.map((node) => node.name)).toEqual(['node-a', 'node-b']);
  });
});
