import type { DaemonSetKey } from '../../model/daemon-set.js';
import { fnv1a32 } from '../../revision/compute-revision-hash.js';
import { BY_KIND_INDEX, BY_NODE_INDEX, BY_SEQ_INDEX, TABLE_KEYS } from './table-definition.js';

/** Attribute names of the table's and indexes' keys, for items and expressions. */
export const PK = TABLE_KEYS.partitionKey;
export const SK = TABLE_KEYS.sortKey;
export const TTL = TABLE_KEYS.timeToLive;
export const NODE_INDEX_PK = BY_NODE_INDEX.partitionKey;
export const NODE_INDEX_SK = BY_NODE_INDEX.sortKey;
export const KIND_INDEX_PK = BY_KIND_INDEX.partitionKey;
export const KIND_INDEX_SK = BY_KIND_INDEX.sortKey;
export const NODE_SEQ = BY_SEQ_INDEX.sortKey;

/** A table item's primary key. */
export type ItemKey = Readonly<Record<typeof PK | typeof SK, string>>;

export const itemKey = (pk: string, sk: string): ItemKey => ({ [PK]: pk, [SK]: sk }) as ItemKey;

/** One partition per DaemonSet: its record, revisions, desired pods and reported pod statuses. */
export const daemonSetPartition = (key: DaemonSetKey): string => `DS#${key}`;
/** The DaemonSet's spec item (also its tombstone): written only by spec changes. */
export const DAEMON_SET_SK = 'DAEMONSET';
/** The DaemonSet's small, hot state item: version, status, memory. Written by every reconcile step. */
export const DAEMON_SET_STATE_SK = 'DAEMONSET#STATE';
/** Both DaemonSet items, so one strongly consistent query reads the whole record. */
export const DAEMON_SET_PREFIX = 'DAEMONSET';
export const REVISION_PREFIX = 'REVISION#';
/**
 * Desired pods and reported statuses sort by node: `POD#<node>#<pod>` and `POD#<node>#<pod>#STATUS`, so one
 * strongly consistent query reads a DaemonSet's pods (and their statuses) on one node (the node path), and
 * `begins_with(sk, 'POD#')` all of them. Node and pod names never hold `#` (DNS names).
 */
export const PODS_AND_STATUSES_PREFIX = 'POD#';
export const POD_STATUS_SUFFIX = '#STATUS';

/**
 * Nodes are spread over `NODE_SHARDS` partitions by a hash of their name, so no single partition key takes
 * every node write and read (a 1,000-node join burst writes each shard about 1/8 of the time; see
 * docs/store-design.md for the per-partition arithmetic).
 */
export const NODE_SHARDS = 8;
export const nodeShardPartition = (shard: number): string => `NODES#${shard}`;
export const nodeShardOf = (name: string): number => fnv1a32(new TextEncoder().encode(name)) % NODE_SHARDS;
export const NODE_PREFIX = 'NODE#';

/** Events in their own partition per DaemonSet, so snapshots never read them. */
export const eventsPartition = (key: DaemonSetKey): string => `EVENTS#${key}`;

export const rejectionPartition = (id: string): string => `REJECTION#${id}`;
export const REJECTION_SK = 'REJECTION';

/** byNode index: the desired pods (and reported statuses) on one node, across DaemonSets. */
export const nodeIndexPartition = (nodeName: string): string => `NODE#${nodeName}`;
export const podIndexSort = (key: DaemonSetKey, podName: string): string => `POD#${key}/${podName}`;
export const statusIndexSort = (key: DaemonSetKey, podName: string): string => `STATUS#${key}/${podName}`;

/** byKind index partitions. */
export const DAEMON_SET_KIND = 'KIND#DaemonSet';
export const REJECTION_KIND = 'KIND#Rejection';

export const daemonSetItemKey = (key: DaemonSetKey): ItemKey => itemKey(daemonSetPartition(key), DAEMON_SET_SK);
export const daemonSetStateItemKey = (key: DaemonSetKey): ItemKey =>
  itemKey(daemonSetPartition(key), DAEMON_SET_STATE_SK);
/** The sort-key prefix of a DaemonSet's pods and statuses on one node. */
export const podsOnNodePrefix = (nodeName: string): string => `${PODS_AND_STATUSES_PREFIX}${nodeName}#`;
export const podItemKey = (key: DaemonSetKey, nodeName: string, podName: string): ItemKey =>
  itemKey(daemonSetPartition(key), `${podsOnNodePrefix(nodeName)}${podName}`);
export const podStatusItemKey = (key: DaemonSetKey, nodeName: string, podName: string): ItemKey =>
  itemKey(daemonSetPartition(key), `${podsOnNodePrefix(nodeName)}${podName}${POD_STATUS_SUFFIX}`);
/** The pod name in a pod's or status's sort key. */
export const podNameOfSortKey = (sortKey: string): string => {
  const parts = sortKey.split('#');
  return parts[2] ?? '';
};
export const revisionItemKey = (key: DaemonSetKey, name: string): ItemKey =>
  itemKey(daemonSetPartition(key), `${REVISION_PREFIX}${name}`);
export const nodeItemKey = (name: string): ItemKey =>
  itemKey(nodeShardPartition(nodeShardOf(name)), `${NODE_PREFIX}${name}`);

/** The DaemonSet key of a `DS#<namespace>/<name>` (or `EVENTS#...`) partition. */
export const keyOfPartition = (partition: string): DaemonSetKey => partition.slice(partition.indexOf('#') + 1);
