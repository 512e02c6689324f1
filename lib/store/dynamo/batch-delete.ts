import { BatchWriteCommand, type BatchWriteCommandInput, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { DynamoContext } from './dynamo-context.js';
import type { ItemKey } from './keys.js';

/** DynamoDB's BatchWriteItem limit. */
export const BATCH_WRITE_LIMIT = 25;
const MAX_ATTEMPTS = 8;
const BASE_DELAY_MS = 50;
const MAX_DELAY_MS = 2_000;

/**
 * Deletes items in batches of 25, sending unprocessed ones again with exponential backoff and jitter
 * (DynamoDB returns them under throttling).
 *
 * @throws {Error} items stayed unprocessed after every attempt.
 */
export async function batchDelete(context: DynamoContext, keys: readonly ItemKey[]): Promise<void> {
  for (let start = 0; start < keys.length; start += BATCH_WRITE_LIMIT) {
    const requests = keys.slice(start, start + BATCH_WRITE_LIMIT).map((key) => ({ DeleteRequest: { Key: key } }));
    let pending: BatchWriteCommandInput['RequestItems'] = { [context.tableName]: requests };
    for (let attempt = 0; hasRequests(pending); attempt += 1) {
      if (attempt >= MAX_ATTEMPTS)
        throw new Error(`batch delete left items unprocessed after ${MAX_ATTEMPTS} attempts`);
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
