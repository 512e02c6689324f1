import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoClusterStore } from '../../../../lib/store/dynamo/dynamo-cluster-store.js';
import { toDaemonSetSpecItem, toDaemonSetStateItem } from '../../../../lib/store/dynamo/table.js';
import type { ClusterStoreOptions } from '../../../../lib/store/plan/store-options.js';
import type { LiveDaemonSet } from '../../../../lib/store/plan/stored-records.js';

export const TABLE = 'everynode-test';
export const KEY = 'default/agent';
export const NOW = Date.UTC(2026, 0, 1, 1);

/** A store over a document client whose `send` the caller mocks (`mockClient(DynamoDBDocumentClient)`). */
export function aStore(options: ClusterStoreOptions = {}): DynamoClusterStore {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
  );
  return new DynamoClusterStore(client, TABLE, { now: () => NOW, ...options });
}

/**
 * A live DaemonSet's two items as the record query returns them; the spec item was last written at
 * `specVersion` (by default the record's version).
 */
export const daemonSetItems = (record: LiveDaemonSet, specVersion = record.version) => [
  toDaemonSetSpecItem(KEY, { ...record, version: specVersion }),
  toDaemonSetStateItem(KEY, record),
];

/** Matches the query that reads a DaemonSet record (its `DAEMONSET` items). */
export const RECORD_QUERY = { ExpressionAttributeValues: { ':pk': 'DS#default/agent', ':prefix': 'DAEMONSET' } };
