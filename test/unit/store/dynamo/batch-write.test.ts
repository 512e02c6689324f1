import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { batchPut } from '../../../../lib/store/dynamo/batch-write.js';
import type { DynamoContext } from '../../../../lib/store/dynamo/table.js';
import { itemKey } from '../../../../lib/store/dynamo/table.js';
import { toStoreSettings } from '../../../../lib/store/plan/store-options.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const context: DynamoContext = {
  client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
  tableName: 'everynode-test',
  settings: toStoreSettings(),
};
const items = Array.from({ length: 30 }, (_, index) => ({
  ...itemKey('EVENTS#default/agent', `2026-01-01T00:00:00.000Z#${index}`),
  events: '[]',
}));

beforeEach(() => {
  dynamo.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('batchPut', () => {
  it('puts in batches of 25', async () => {
    dynamo.on(BatchWriteCommand).resolves({});

    await batchPut(context, items);

    const sizes = dynamo
      .commandCalls(BatchWriteCommand)
      .map((call) => call.args[0].input.RequestItems?.['everynode-test']?.length);
    expect(sizes).toEqual([25, 5]);
  });

  it('sends unprocessed items again until they are done', async () => {
    const unprocessed = [{ PutRequest: { Item: items[0] ?? {} } }];
    dynamo
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { 'everynode-test': unprocessed } })
      .resolves({});

    await batchPut(context, items.slice(0, 3));

    expect(dynamo).toHaveReceivedCommandTimes(BatchWriteCommand, 2);
    expect(dynamo).toHaveReceivedNthCommandWith(BatchWriteCommand, 2, {
      RequestItems: { 'everynode-test': unprocessed },
    });
  });

  it('fails when items stay unprocessed', async () => {
    dynamo.on(BatchWriteCommand).callsFake((input) => ({ UnprocessedItems: input.RequestItems }));

    vi.useFakeTimers();
    const putting = batchPut(context, items.slice(0, 1));
    const settled = expect(putting).rejects.toThrow(/unprocessed/);
    await vi.runAllTimersAsync();

    await settled;
    expect(dynamo).toHaveReceivedCommandTimes(BatchWriteCommand, 8);
  });
});
