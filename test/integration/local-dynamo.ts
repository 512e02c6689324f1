import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, inject } from 'vitest';
import { createTable } from '../../lib/store/dynamo/table.js';

/** The DynamoDB Local of the integration run (test/integration/global-setup.ts), and fresh tables on it. */
export type LocalDynamo = Readonly<{
  client: DynamoDBClient;
  documentClient: DynamoDBDocumentClient;
  /** Creates a table of its own (`<prefix>-<run>-<n>`), laid out as the stack's, and returns its name. */
  newTable: () => Promise<string>;
}>;

/**
 * Clients on the run's DynamoDB Local, destroyed after the file's tests. One table per test keeps nodes and
 * DaemonSets of the same names out of each other's partitions.
 */
export function localDynamo(prefix: string): LocalDynamo {
  const client = new DynamoDBClient({
    endpoint: inject('dynamoEndpoint'),
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const run = randomUUID().slice(0, 8);
  let tables = 0;
  afterAll(() => {
    client.destroy();
  });
  return {
    client,
    documentClient: DynamoDBDocumentClient.from(client),
    newTable: async () => {
      tables += 1;
      const tableName = `${prefix}-${run}-${tables}`;
      await createTable(client, tableName);
      return tableName;
    },
  };
}
