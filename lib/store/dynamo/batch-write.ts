import { BatchWriteCommand, type BatchWriteCommandInput, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Item } from './codec.js';
import type { DynamoContext } from './dynamo-context.js';
import type { ItemKey } from './keys.js';

/** DynamoDB's BatchWriteItem limit. */
export const BATCH_WRITE_LIMIT = 25;
const MAX_ATTEMPTS = 8;
const BASE_DELAY_MS = 50;
const MAX_DELAY_MS = 2_000;

type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

/**
 * Deletes items in batches of 25, sending unprocessed ones again with exponential backoff and jitter
 * (DynamoDB returns them under throttling).
 *
 * @throws {Error} items stayed unprocessed after every attempt.
 */
export function batchDelete(context: DynamoContext, keys: readonly ItemKey[]): Promise<void> {
  return batchWrite(
    context,
    keys.map((key) => ({ DeleteRequest: { Key: key } })),
  );
}

/**
 * Puts items unconditionally in batches of 25, like `batchDelete`: one unit per started KB of each item,
 * half of what the same put costs inside a transaction.
 *
 * @throws {Error} items stayed unprocessed after every attempt.
 */
export function batchPut(context: DynamoContext, items: readonly Item[]): Promise<void> {
  return batchWrite(
    context,
    items.map((item) => ({ PutRequest: { Item: item } })),
  );
}

async function batchWrite(context: DynamoContext, requests: readonly WriteRequest[]): Promise<void> {
  for (let start = 0; start < requests.length; start += BATCH_WRITE_LIMIT) {
    let pending: BatchWriteCommandInput['RequestItems'] = {
      [context.tableName]: requests.slice(start, start + BATCH_WRITE_LIMIT),
    };
    for (let attempt = 0; hasRequests(pending); attempt += 1) {
      if (attempt >= MAX_ATTEMPTS) throw new Error(`batch write left items unprocessed after ${MAX_ATTEMPTS} attempts`);
      if (attempt > 0) await sleep(Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt));
      const result: BatchWriteCommandOutput = await context.client.send(
        new BatchWriteCommand({ RequestItems: pending }),
      );
      pending = result.UnprocessedItems;
    }
  }
}

function hasRequests(items: BatchWriteCommandInput['RequestItems']): items is NonNullable<typeof items> {
  return items !== undefined && Object.values(items).some((requests) => requests.length > 0);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
