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

/** What a global secondary index copies of an item besides the keys: everything, or the listed attributes. */
export type IndexProjection = Readonly<{ type: 'ALL' } | { type: 'INCLUDE'; nonKeyAttributes: readonly string[] }>;

/** A global secondary index: its name, key attributes and projection. */
export type IndexDefinition = Readonly<{
  name: string;
  partitionKey: string;
  sortKey: string;
  projection: IndexProjection;
}>;

/** Pods by node: a node agent reads its desired pods (and their statuses) with one query, so it projects all. */
export const BY_NODE_INDEX = {
  name: 'byNode',
  partitionKey: 'gsi1pk',
  sortKey: 'gsi1sk',
  projection: { type: 'ALL' },
} as const satisfies IndexDefinition;

/**
 * Items by kind (every DaemonSet, every rejection): listings and the periodic resync. Projects only the
 * rejection body: DaemonSet entries are keys alone (the listing reads the records from the table), so a
 * spec write costs no index write unless the DaemonSet is created or removed.
 */
export const BY_KIND_INDEX = {
  name: 'byKind',
  partitionKey: 'gsi2pk',
  sortKey: 'gsi2sk',
  projection: { type: 'INCLUDE', nonKeyAttributes: ['rejection'] },
} as const satisfies IndexDefinition;

/**
 * Nodes by write time, inside each node shard's partition (a local index, so it reads strongly consistently):
 * a warm store finds the nodes written since it last looked with one small query per shard instead of reading
 * the fleet (see `fleet.ts`). Projects the fact time, so a node already known at that time is not read again.
 */
export const BY_SEQ_INDEX = {
  name: 'bySeq',
  sortKey: 'nodeSeq',
  projection: { type: 'INCLUDE', nonKeyAttributes: ['observedAt'] },
} as const;
