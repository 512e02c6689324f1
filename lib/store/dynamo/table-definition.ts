/**
 * The one DynamoDB table's key schema, shared by the store adapter, DynamoDB Local setup and the CDK stack
 * so all three always agree. The item layout is documented in docs/store-design.md.
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Time-to-live attribute (epoch seconds) for tombstones, events and rejections. */
  timeToLive: 'expiresAt',
} as const;

/** Pods by node: a node agent reads its desired pods with one query. */
export const BY_NODE_INDEX = { name: 'byNode', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' } as const;

/** Items by kind (every DaemonSet, every rejection): listings and the periodic resync. */
export const BY_KIND_INDEX = { name: 'byKind', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' } as const;
