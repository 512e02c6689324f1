import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { Node } from '../../lib/model/node.js';
import { DynamoClusterStore } from '../../lib/store/dynamo/dynamo-cluster-store.js';
import { NODE_WRITE_LAG_MS } from '../../lib/store/dynamo/fleet.js';
import { createTable } from '../../lib/store/dynamo/table.js';
import { aDaemonSet } from '../fixtures/builders/a-daemon-set.js';
import { aNode } from '../fixtures/builders/a-node.js';

const client = new DynamoDBClient({
  endpoint: inject('dynamoEndpoint'),
  region: 'local',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const documentClient = DynamoDBDocumentClient.from(client);
const run = randomUUID().slice(0, 8);
let tables = 0;
const T0 = Date.UTC(2026, 0, 1);
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();
const KEY = 'default/agent';

afterAll(() => {
  client.destroy();
});

/** A table with one DaemonSet, and a clock per store (writers and the reader keep their own time). */
async function aTable(): Promise<
  ((clock: () => number, dynamo?: DynamoDBDocumentClient) => DynamoClusterStore) & { tableName: string }
> {
  tables += 1;
  const tableName = `fleet-cache-${run}-${tables}`;
  await createTable(client, tableName);
  const store = (clock: () => number, dynamo = documentClient) =>
    new DynamoClusterStore(dynamo, tableName, { now: clock });
  await store(() => T0).applyDaemonSet(aDaemonSet('agent').build(), at(0));
  return Object.assign(store, { tableName });
}

const names = (nodes: readonly Node[]) => nodes.map((node) => `${node.name}:${Object.keys(node.labels).length}`);

describe('the fleet a warm store reads', () => {
  it('is what a fresh strongly consistent read sees, after joins, updates and removals by other writers', async () => {
    const store = await aTable();
    let now = T0;
    const reader = store(() => now);
    const writer = store(() => now);
    for (let index = 0; index < 30; index += 1) await writer.putNode(aNode(`node-${index}`).build(), at(1));
    const first = await reader.loadSnapshot(KEY);

    now += 60_000;
    await writer.putNode(aNode('node-30').build(), at(2));
    await writer.putNode(aNode('node-3').labelled({ zone: 'b' }).build(), at(2));
    await writer.removeNode('node-7', at(2));
    const warm = await reader.loadSnapshot(KEY);
    const fresh = await store(() => now).loadSnapshot(KEY);

    expect(first?.nodes).toHaveLength(30);
    expect(names(warm?.nodes ?? [])).toEqual(names(fresh?.nodes ?? []));
    expect(warm?.nodes.map((node) => node.name)).toContain('node-30');
    expect(warm?.nodes.map((node) => node.name)).not.toContain('node-7');
  });

  it('sees a write that lands after its read although the writer stamped it before, within the lag', async () => {
    const store = await aTable();
    let now = T0 + 600_000;
    const reader = store(() => now);
    await store(() => now).putNode(aNode('node-a').build(), at(1));
    await reader.loadSnapshot(KEY);

    now += 1_000;
    await store(() => now - NODE_WRITE_LAG_MS / 2).putNode(aNode('node-late').build(), at(2));
    const warm = await reader.loadSnapshot(KEY);

    expect(warm?.nodes.map((node) => node.name)).toEqual(['node-a', 'node-late']);
  });

  it('reads only the nodes written since, not the fleet, once warm', async () => {
    const store = await aTable();
    let now = T0;
    const sent: string[] = [];
    const counting = store(() => now);
    const recording = Object.assign(Object.create(documentClient), {
      send: (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        sent.push(`${command.constructor.name}:${String(command.input['IndexName'] ?? '')}`);
        return documentClient.send(command as never);
      },
    }) as DynamoDBDocumentClient;
    const reader = store(() => now, recording);
    for (let index = 0; index < 40; index += 1) await counting.putNode(aNode(`node-${index}`).build(), at(1));
    await reader.loadSnapshot(KEY);
    sent.length = 0;

    now += NODE_WRITE_LAG_MS + 60_000;
    await counting.putNode(aNode('node-40').build(), at(2));
    await reader.loadSnapshot(KEY);

    expect(sent.filter((line) => line === 'QueryCommand:bySeq')).toHaveLength(8);
    expect(sent.filter((line) => line.startsWith('BatchGetCommand'))).toHaveLength(1);
    expect(sent.filter((line) => line === 'QueryCommand:')).toHaveLength(1);
  });
});
