import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createTable } from '../../lib/store/dynamo/table.js';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import type { Benchmark, BenchOptions, BenchResult, Progress } from '../shared/bench-result.js';
import { formatCount } from '../shared/stats.js';

/**
 * How many item writes per second this machine's DynamoDB Local takes at all, by kind of request: the floor
 * under every convergence figure (a rolling update cannot finish faster than its writes can land).
 */
export const writeFloorBenchmark: Benchmark = {
  name: 'write-floor',
  title: 'DynamoDB Local write throughput on this machine (the floor under the convergence figures)',
  run: runWriteFloor,
};

type Row = Readonly<{ request: string; inFlight: number; items: number; itemsPerSecond: number }>;

async function runWriteFloor(options: BenchOptions, progress: Progress): Promise<BenchResult> {
  const scale = options.quick ? 0.2 : 1;
  progress('write-floor: starting DynamoDB Local');
  const local = await startDynamoDbLocal({ inMemory: true });
  const client = new DynamoDBClient({
    endpoint: local.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const documents = DynamoDBDocumentClient.from(client);
  const rows: Row[] = [];
  let next = 0;
  // A pod-sized item (about 300 bytes) in one partition, as a DaemonSet's pods are.
  const item = () => {
    next += 1;
    return {
      pk: 'DS#bench/agent',
      sk: `POD#node-${next}#agent-${next}`,
      seq: next,
      writeId: `w${next}`,
      revisionHash: '5d8f9c7b6a',
      labels: JSON.stringify({ app: 'agent', 'controller-revision-hash': '5d8f9c7b6a' }),
      creationTimestamp: new Date().toISOString(),
    };
  };
  try {
    await createTable(client, 'write-floor');
    const measure = async (
      request: string,
      inFlight: number,
      requests: number,
      perRequest: number,
      send: () => Promise<unknown>,
    ) => {
      progress(`write-floor: ${request}, ${inFlight} in flight`);
      let left = Math.round(requests * scale);
      const items = left * perRequest;
      const start = performance.now();
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (left > 0) {
            left -= 1;
            await send();
          }
        }),
      );
      rows.push({ request, inFlight, items, itemsPerSecond: items / ((performance.now() - start) / 1000) });
    };
    const put = () =>
      documents.send(
        new PutCommand({ TableName: 'write-floor', Item: item(), ConditionExpression: 'attribute_not_exists(pk)' }),
      );
    for (const inFlight of [1, 10, 32]) await measure('PutItem, conditional', inFlight, 3_000, 1, put);
    const batch = () =>
      documents.send(
        new BatchWriteCommand({
          RequestItems: { 'write-floor': Array.from({ length: 25 }, () => ({ PutRequest: { Item: item() } })) },
        }),
      );
    for (const inFlight of [1, 4]) await measure('BatchWriteItem, 25 items', inFlight, 200, 25, batch);
    const transaction = () =>
      documents.send(
        new TransactWriteCommand({
          TransactItems: Array.from({ length: 100 }, () => ({
            Put: { TableName: 'write-floor', Item: item(), ConditionExpression: 'attribute_not_exists(pk)' },
          })),
        }),
      );
    for (const inFlight of [1, 4])
      await measure('TransactWriteItems, 100 conditional puts', inFlight, 50, 100, transaction);
  } finally {
    client.destroy();
    await local.stop();
  }
  return {
    name: 'write-floor',
    title: writeFloorBenchmark.title,
    tables: [
      {
        title: 'Item writes per second, pod-sized items in one partition',
        columns: ['request', 'in flight', 'items', 'items per second'],
        rows: rows.map((row) => [
          row.request,
          String(row.inFlight),
          formatCount(row.items),
          formatCount(Math.round(row.itemsPerSecond)),
        ]),
      },
    ],
    aims: [],
    notes: [
      "One DynamoDB Local in memory, one table made by createTable (so every item also writes its indexes as the store's do). A 10,000-node rolling update with agents writes at least 20,000 conditional status puts and 20,000 pod writes: divide by these rates for the least time it can take here.",
    ],
    figures: { rows },
  };
}
