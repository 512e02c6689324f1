import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StoreSettings } from '../store-options.js';

/** What every adapter function needs: the client, the table and the store's settings. */
export type DynamoContext = Readonly<{
  client: DynamoDBDocumentClient;
  tableName: string;
  settings: StoreSettings;
}>;
