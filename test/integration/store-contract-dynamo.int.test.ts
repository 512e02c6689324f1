import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, inject } from 'vitest';
import { DynamoClusterStore } from '../../lib/store/dynamo/dynamo-cluster-store.js';
import { createTable } from '../../lib/store/dynamo/table.js';
import { describeClusterStoreContract } from './store-contract.js';

const client = new DynamoDBClient({
  endpoint: inject('dynamoEndpoint'),
  region: 'local',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const documentClient = DynamoDBDocumentClient.from(client);
const run = randomUUID().slice(0, 8);
let tables = 0;

afterAll(() => {
  client.destroy();
});

// One table per test: nodes and DaemonSets of the same names would otherwise meet in the same partitions.
describeClusterStoreContract('DynamoDB', async (options) => {
  tables += 1;
  const tableName = `store-contract-${run}-${tables}`;
  await createTable(client, tableName);
  return new DynamoClusterStore(documentClient, tableName, options);
});
