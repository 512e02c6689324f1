import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ControllerRevision, DaemonSetKey } from '../../model/daemon-set.js';
import type { Node } from '../../model/node.js';
import type { Pod } from '../../model/pod.js';
import type { DaemonSetEvent, Rejection } from '../../model/status.js';
import type { StoredDaemonSet } from '../../ports/cluster-store.js';
import { MAX_EVENTS_PER_DAEMON_SET } from '../store-options.js';
import { byName } from '../to-pod.js';
import { toStoredDaemonSet } from '../to-stored-daemon-set.js';
import { fromEventItem, fromNodeItem, fromRejectionItem, partitionOf } from './codec.js';
import type { DynamoContext } from './dynamo-context.js';
import { readNodeShards } from './fleet.js';
import {
  DAEMON_SET_KIND,
  daemonSetPartition,
  eventsPartition,
  KIND_INDEX_PK,
  keyOfPartition,
  nodeItemKey,
  PK,
  PODS_AND_STATUSES_PREFIX,
  REJECTION_KIND,
  REVISION_PREFIX,
  SK,
} from './keys.js';
import { readPartition } from './partition.js';
import { queryAll } from './query-all.js';
import { readDaemonSetItems } from './read-daemon-set.js';
import { BY_KIND_INDEX } from './table-definition.js';

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
  return (await readNodeShards(context, consistent)).flatMap(({ record }) => record.node ?? []).sort(byName);
}

export async function getNode(context: DynamoContext, name: string): Promise<Node | undefined> {
  const { Item } = await context.client.send(
    new GetCommand({ TableName: context.tableName, Key: nodeItemKey(name), ConsistentRead: true }),
  );
  return Item === undefined ? undefined : fromNodeItem(Item).node;
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
