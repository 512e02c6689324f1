import 'aws-sdk-client-mock-vitest/extend';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTable } from '../../../../lib/store/dynamo/table.js';

const dynamo = mockClient(DynamoDBClient);
const client = new DynamoDBClient({
  region: 'eu-west-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

beforeEach(() => {
  dynamo.reset();
  dynamo.on(CreateTableCommand).resolves({});
  dynamo.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'ACTIVE' } });
  dynamo.on(DescribeTimeToLiveCommand).resolves({ TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } });
  dynamo.on(UpdateTimeToLiveCommand).resolves({});
});

describe('createTable', () => {
  it('creates an on-demand table with both indexes, byKind projecting only rejection bodies, and turns on TTL', async () => {
    await createTable(client, 'everynode');

    expect(dynamo).toHaveReceivedCommandWith(CreateTableCommand, {
      TableName: 'everynode',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        expect.objectContaining({ IndexName: 'byNode', Projection: { ProjectionType: 'ALL' } }),
        expect.objectContaining({
          IndexName: 'byKind',
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['rejection'] },
        }),
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: 'bySeq',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'seq', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['writeId'] },
        },
      ],
    });
    expect(dynamo).toHaveReceivedCommandWith(UpdateTimeToLiveCommand, {
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('accepts a table that already exists with TTL on', async () => {
    dynamo
      .on(CreateTableCommand)
      .rejects(new ResourceInUseException({ message: 'Table already exists', $metadata: {} }));
    dynamo.on(DescribeTimeToLiveCommand).resolves({ TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED' } });

    await createTable(client, 'everynode');

    expect(dynamo).toHaveReceivedCommandTimes(UpdateTimeToLiveCommand, 0);
  });
});
