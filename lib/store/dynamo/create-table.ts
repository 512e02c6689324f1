import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type Projection,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { BY_KIND_INDEX, BY_NODE_INDEX, BY_SEQ_INDEX, type IndexProjection, TABLE_KEYS } from './table-definition.js';

/**
 * Creates the table as the CDK stack does (on-demand, the indexes' projections from `table-definition.ts`,
 * TTL on `expiresAt`), for DynamoDB Local in tests and the local control plane. Safe to call when it exists.
 */
export async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const keys = [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, ...[BY_NODE_INDEX, BY_KIND_INDEX].flatMap(indexKeys)];
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          ...keys.map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
          { AttributeName: BY_SEQ_INDEX.sortKey, AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: BY_SEQ_INDEX.name,
            KeySchema: [
              { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
              { AttributeName: BY_SEQ_INDEX.sortKey, KeyType: 'RANGE' },
            ],
            Projection: toProjection(BY_SEQ_INDEX.projection),
          },
        ],
        GlobalSecondaryIndexes: [BY_NODE_INDEX, BY_KIND_INDEX].map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: toProjection(index.projection),
        })),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 120, minDelay: 1 }, { TableName: tableName });
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') return;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE_KEYS.timeToLive, Enabled: true },
    }),
  );
}

const indexKeys = (index: typeof BY_NODE_INDEX | typeof BY_KIND_INDEX): string[] => [index.partitionKey, index.sortKey];

const toProjection = (projection: IndexProjection): Projection =>
  projection.type === 'ALL'
    ? { ProjectionType: 'ALL' }
    : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...projection.nonKeyAttributes] };
