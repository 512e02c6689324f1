import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type ControllerRevision, type DaemonSetKey, fromDaemonSetKey } from '../../model/daemon-set.js';
import type { Node } from '../../model/node.js';
import { byRevision, compareStrings } from '../../model/order.js';
import type { Pod } from '../../model/pod.js';
import type { DaemonSetEvent, NodeEvent, Rejection } from '../../model/status.js';
import type { ClusterSnapshot, NodeSnapshot } from '../../ports/cluster-snapshot.js';
import type { NodeFact, StoredDaemonSet } from '../../ports/cluster-store.js';
import { MAX_EVENTS_PER_DAEMON_SET } from '../plan/store-options.js';
import {
  type DesiredPod,
  type LiveDaemonSet,
  mergePod,
  type PodStatusRecord,
  toStoredDaemonSet,
} from '../plan/stored-records.js';
import { type FleetCache, type PartitionCache, readNodeShards } from './caches.js';
import { readItem } from './read-item.js';
import { readPartition } from './read-partition.js';
import { isExpired, recheckAfterClaim, recoverClaim } from './recover-claim.js';
import {
  BY_KIND_INDEX,
  BY_NODE_INDEX,
  DAEMON_SET_KIND,
  DAEMON_SET_PREFIX,
  DAEMON_SET_SK,
  DAEMON_SET_STATE_SK,
  type DaemonSetItems,
  type DynamoContext,
  daemonSetPartition,
  daemonSetStateItemKey,
  eventsPartition,
  fromDaemonSetItems,
  fromEventItem,
  fromNodeEventItem,
  fromNodeItem,
  fromPodItem,
  fromPodStatusItem,
  fromRejectionItem,
  fromRevisionItem,
  type Item,
  isRemovedItem,
  KIND_INDEX_PK,
  keyOfPartition,
  NODE_EVENTS_PARTITION,
  NODE_INDEX_PK,
  nodeIndexPartition,
  nodeItemKey,
  PENDING_SINCE,
  PK,
  POD_STATUS_SUFFIX,
  PODS_AND_STATUSES_PREFIX,
  partitionOf,
  podNameOfSortKey,
  podsOnNodePrefix,
  queryAll,
  REJECTION_KIND,
  REVISION_PREFIX,
  SK,
  type StepClaim,
  sortKeyOf,
} from './table.js';

// Every read of the DynamoDB adapter: a DaemonSet's record and partition, the snapshots a reconcile step
// decides from (with what they read, so the step is written without reading it again), and the listings.

/**
 * Reads a DaemonSet record (live or tombstone) with the spec item's version: one query over the two
 * `DAEMONSET` items of its partition (one read unit for both, where two GetItems would cost two).
 */
export async function readDaemonSetItems(
  context: DynamoContext,
  key: DaemonSetKey,
  consistent: boolean,
): Promise<DaemonSetItems | undefined> {
  const items = await queryAll(context, {
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
    ExpressionAttributeValues: { ':pk': daemonSetPartition(key), ':prefix': DAEMON_SET_PREFIX },
    ConsistentRead: consistent,
  });
  return readPartition(key, items).record;
}

/**
 * What the snapshot a step was planned from already read: the DaemonSet record at the version the step is
 * written under (so it is the record the guard protects) and, for a full snapshot, its revisions. With it the
 * step is written without reading them again.
 */
export type StepBasis = Readonly<{
  record: LiveDaemonSet;
  revisions?: readonly ControllerRevision[];
  /** A claimed step under way when it was read: no step may be written under this version. */
  claim?: StepClaim;
}>;

/** A snapshot with what it read of the DaemonSet, for the step planned from it (see `StepBasis`). */
export type Loaded<T> = Readonly<{ snapshot: T; basis: StepBasis }>;

/**
 * Everything one reconcile step decides from, read strongly consistently, the DaemonSet's partition (spec and
 * state items, revisions, pods, statuses, from the store's `PartitionCache`) first and then the fleet (from its
 * `FleetCache`), each in full the first time, then only what was written since.
 */
export async function loadSnapshot(
  context: DynamoContext,
  key: DaemonSetKey,
  caches: Readonly<{ fleet: FleetCache; partitions: PartitionCache }>,
): Promise<Loaded<ClusterSnapshot> | undefined> {
  // The partition first, then the fleet: the nodes read are then no older than the pods. Side by side, a node
  // that joined, and whose pod the node path created, between the two reads showed its pod without its node,
  // and the pass removed that pod outright as an orphan (the chaos suite's two-phase deletion check caught it).
  let read = await caches.partitions.read(key);
  let items = readPartition(key, read.record).record;
  // A claim whose every write has landed is taken over before anything is decided (`recover-claim.ts`).
  if (items?.claim !== undefined && isExpired(context, items.claim)) {
    await recoverClaim(context, key, items.claim);
    caches.partitions.forget(key);
    read = await caches.partitions.read(key);
    items = readPartition(key, read.record).record;
  }
  const nodes = await caches.fleet.nodes();
  const record = items?.record;
  const { revisions, pods } = read.contents;
  if (record?.kind !== 'live') return undefined;
  const claim = items?.claim;
  const snapshot = {
    ...(claim === undefined ? {} : { stepInProgress: { recheckAfterSeconds: recheckAfterClaim(context, claim) } }),
    daemonSet: record.daemonSet,
    version: record.version,
    revisions,
    nodes,
    pods,
    ...(record.status === undefined ? {} : { status: record.status }),
    memory: record.memory,
  };
  return { snapshot, basis: { record, revisions, ...(claim === undefined ? {} : { claim }) } };
}

/**
 * The node path's read: two strongly consistent queries of the DaemonSet's partition, its two `DAEMONSET`
 * items and then its pods (with statuses) on the node (`POD#<node>#...`): about two read units, whatever the
 * fleet's size.
 */
export async function loadNodeSnapshot(
  context: DynamoContext,
  key: DaemonSetKey,
  nodeName: string,
): Promise<Loaded<NodeSnapshot> | undefined> {
  const query = (prefix: string) =>
    queryAll(context, {
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
      ExpressionAttributeValues: { ':pk': daemonSetPartition(key), ':prefix': prefix },
      ConsistentRead: true,
    });
  // The record first, then the pods: the pods read are then no older than the version the step is written
  // under. Read side by side, a pass that created the node's pod between the two reads would show its version
  // without its pod, and the node path would create a second pod under that same version.
  const recordItems = await query(DAEMON_SET_PREFIX);
  const podItems = await query(podsOnNodePrefix(nodeName));
  const items = readPartition(key, recordItems).record;
  const record = items?.record;
  if (record?.kind !== 'live') return undefined;
  const pendingSince = recordItems.find((item) => sortKeyOf(item) === DAEMON_SET_STATE_SK)?.[PENDING_SINCE];
  const snapshot = {
    daemonSet: record.daemonSet,
    version: record.version,
    pods: readPartition(key, podItems).pods,
    ...(record.status === undefined ? {} : { status: record.status }),
    memory: record.memory,
    ...(typeof pendingSince === 'number' ? { pendingSince } : {}),
  };
  const claim = items?.claim;
  return { snapshot, basis: { record, ...(claim === undefined ? {} : { claim }) } };
}

const inPartition = { '#pk': PK, '#sk': SK } as const;

/** A DaemonSet's revisions, oldest first. */
export async function readRevisions(
  context: DynamoContext,
  key: DaemonSetKey,
  consistent: boolean,
): Promise<readonly ControllerRevision[]> {
  const items = await queryAll(context, {
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ExpressionAttributeNames: inPartition,
    ExpressionAttributeValues: { ':pk': daemonSetPartition(key), ':prefix': REVISION_PREFIX },
    ConsistentRead: consistent,
  });
  return readPartition(key, items).revisions;
}

/** Every live node (tombstones left out), by name, from every node shard. */
export async function readNodes(context: DynamoContext, consistent: boolean): Promise<readonly Node[]> {
  return (await readNodeShards(context, consistent))
    .flatMap(({ record }) => record.node ?? [])
    .sort((a, b) => compareStrings(a.name, b.name));
}

/** The node as stored now (strongly consistent), gathered with the other reads of the same turn (`readItem`). */
export async function getNode(context: DynamoContext, name: string): Promise<Node | undefined> {
  const Item = await readItem(context, nodeItemKey(name));
  return Item === undefined ? undefined : fromNodeItem(Item).node;
}

export async function getNodeFact(context: DynamoContext, name: string): Promise<NodeFact | undefined> {
  const Item = await readItem(context, nodeItemKey(name));
  if (Item === undefined) return undefined;
  const record = fromNodeItem(Item);
  return record.node === undefined ? undefined : { node: record.node, observedAt: record.observedAt };
}

/**
 * Keys of the live DaemonSets, sorted, from the byKind index (eventually consistent). The index holds only
 * keys for DaemonSets (its projection includes no DaemonSet attribute), so listing costs no spec reads.
 */
export async function listDaemonSetKeys(context: DynamoContext): Promise<readonly DaemonSetKey[]> {
  const items = await queryAll(context, {
    IndexName: BY_KIND_INDEX.name,
    KeyConditionExpression: '#kind = :kind',
    ExpressionAttributeNames: { '#kind': KIND_INDEX_PK },
    ExpressionAttributeValues: { ':kind': DAEMON_SET_KIND },
  });
  return items.map((item) => keyOfPartition(partitionOf(item)));
}

/** Live DaemonSets, by key: the keys from the byKind index, then each record's two items (eventually consistent). */
export async function listDaemonSets(context: DynamoContext): Promise<readonly StoredDaemonSet[]> {
  const keys = await listDaemonSetKeys(context);
  const records = await Promise.all(keys.map((key) => readDaemonSetItems(context, key, false)));
  return records.flatMap((read) => toStoredDaemonSet(read?.record) ?? []);
}

/** One DaemonSet's pods merged with their statuses, by name. */
export async function readPods(context: DynamoContext, key: DaemonSetKey): Promise<readonly Pod[]> {
  const items = await queryAll(context, {
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ExpressionAttributeNames: inPartition,
    ExpressionAttributeValues: { ':pk': daemonSetPartition(key), ':prefix': PODS_AND_STATUSES_PREFIX },
  });
  return readPartition(key, items).pods;
}

/**
 * One DaemonSet's pods as `readPods` lists them, but strongly consistent and through the store's `PartitionCache`:
 * a listing repeated while a rollout writes (the dashboard's, every two seconds) reads what changed since the last
 * one, where `readPods` reads every pod and status again (about 22,000 items at 10,000 nodes). A DaemonSet being
 * deleted stays live until its pods are gone; a removed one has none left (its tombstone is written last).
 */
export async function readPodsThroughCache(key: DaemonSetKey, partitions: PartitionCache): Promise<readonly Pod[]> {
  return (await partitions.read(key)).contents.pods;
}

/**
 * The newest events of a DaemonSet, oldest first: one page of the newest event items (one per step), read
 * newest first, then the newest `MAX_EVENTS_PER_DAEMON_SET` of their events.
 */
export async function listEvents(context: DynamoContext, key: DaemonSetKey): Promise<readonly DaemonSetEvent[]> {
  const { Items = [] } = await context.client.send(
    new QueryCommand({
      TableName: context.tableName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': PK },
      ExpressionAttributeValues: { ':pk': eventsPartition(key) },
      ScanIndexForward: false,
      Limit: MAX_EVENTS_PER_DAEMON_SET,
    }),
  );
  return Items.reverse().flatMap(fromEventItem).slice(-MAX_EVENTS_PER_DAEMON_SET);
}

/**
 * Events about nodes, oldest first: one node's newest page (`MAX_EVENTS_PER_DAEMON_SET`, read newest first), or
 * the whole node-event partition (kept small by its TTL).
 */
export async function listNodeEvents(context: DynamoContext, nodeName?: string): Promise<readonly NodeEvent[]> {
  if (nodeName === undefined) {
    const items = await queryAll(context, {
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': PK },
      ExpressionAttributeValues: { ':pk': NODE_EVENTS_PARTITION },
    });
    return items.map(fromNodeEventItem).sort((a, b) => compareStrings(a.time, b.time));
  }
  const { Items = [] } = await context.client.send(
    new QueryCommand({
      TableName: context.tableName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
      ExpressionAttributeValues: { ':pk': NODE_EVENTS_PARTITION, ':prefix': `${nodeName}#` },
      ScanIndexForward: false,
      Limit: MAX_EVENTS_PER_DAEMON_SET,
    }),
  );
  return Items.reverse().map(fromNodeEventItem);
}

/** Every rejection still kept, oldest first. */
export async function listRejections(context: DynamoContext): Promise<readonly Rejection[]> {
  const items = await queryAll(context, {
    IndexName: BY_KIND_INDEX.name,
    KeyConditionExpression: '#kind = :kind',
    ExpressionAttributeNames: { '#kind': KIND_INDEX_PK },
    ExpressionAttributeValues: { ':kind': REJECTION_KIND },
  });
  return items.map(fromRejectionItem);
}

/**
 * A node agent's one query: the byNode index holds every desired pod on the node and the statuses its
 * agent reported, across DaemonSets. Eventually consistent, like every index read.
 */
export async function listPodsOnNode(
  context: DynamoContext,
  nodeName: string,
): Promise<readonly (Pod & { daemonSet: DaemonSetKey })[]> {
  const items = await queryAll(context, {
    IndexName: BY_NODE_INDEX.name,
    KeyConditionExpression: '#node = :node',
    ExpressionAttributeNames: { '#node': NODE_INDEX_PK },
    ExpressionAttributeValues: { ':node': nodeIndexPartition(nodeName) },
  });
  const byPartition = new Map<string, Item[]>();
  for (const item of items) {
    const partition = partitionOf(item);
    byPartition.set(partition, [...(byPartition.get(partition) ?? []), item]);
  }
  return [...byPartition]
    .sort(([a], [b]) => compareStrings(a, b))
    .flatMap(([partition, group]) => {
      const daemonSet = keyOfPartition(partition);
      return readPartition(daemonSet, group)
        .pods.filter((pod) => pod.nodeName === nodeName)
        .map((pod) => ({ ...pod, daemonSet }));
    });
}

/** `ClusterStore.readReconcilePending`: the state item's marker alone, strongly consistent (0.5 RCU). */
export async function readReconcilePending(context: DynamoContext, key: DaemonSetKey): Promise<number | undefined> {
  const { Item } = await context.client.send(
    new GetCommand({
      TableName: context.tableName,
      Key: daemonSetStateItemKey(key),
      ProjectionExpression: '#pending',
      ExpressionAttributeNames: { '#pending': PENDING_SINCE },
      ConsistentRead: true,
    }),
  );
  const pendingSince = Item?.[PENDING_SINCE];
  return typeof pendingSince === 'number' ? pendingSince : undefined;
}
