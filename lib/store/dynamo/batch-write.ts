import { BatchWriteCommand, type BatchWriteCommandInput, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { DynamoContext, Item } from './table.js';

// BatchWriteItem with its retries: unprocessed items (DynamoDB returns them under throttling) are sent again.

/** DynamoDB's BatchWriteItem limit. */
export const BATCH_WRITE_LIMIT = 25;
/** Attempts of one BatchWriteItem while items come back unprocessed. */
export const MAX_BATCH_ATTEMPTS = 8;
const BASE_DELAY_MS = 50;
const MAX_DELAY_MS = 2_000;

type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

/**
 * Puts items unconditionally in batches of 25, sending unprocessed ones again with exponential backoff and
 * jitter (DynamoDB returns them under throttling): one unit per started KB of each item, half of what the same
 * put costs inside a transaction.
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
      if (attempt >= MAX_BATCH_ATTEMPTS)
        throw new Error(`batch write left items unprocessed after ${MAX_BATCH_ATTEMPTS} attempts`);
      if (attempt > 0) await backOff(attempt);
      const result: BatchWriteCommandOutput = await context.client.send(
        new BatchWriteCommand({ RequestItems: pending }),
      );
      pending = result.UnprocessedItems;
    }
  }
}

export function hasRequests(items: BatchWriteCommandInput['RequestItems']): items is NonNullable<typeof items> {
  return items !== undefined && Object.values(items).some((requests) => requests.length > 0);
}

/** Waits before attempt `attempt` (from 1): exponential backoff with full jitter. */
export const backOff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt)));
