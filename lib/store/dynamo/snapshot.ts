import type { DaemonSetKey } from '../../model/daemon-set.js';
import type { ClusterSnapshot, NodeSnapshot } from '../../ports/cluster-snapshot.js';
import type { StepBasis } from './apply-step.js';
import type { DynamoContext } from './dynamo-context.js';
import type { FleetCache } from './fleet.js';
import { DAEMON_SET_PREFIX, daemonSetPartition, PK, podsOnNodePrefix, SK } from './keys.js';
import { readPartition } from './partition.js';
import { queryAll } from './query-all.js';

/** A snapshot with what it read of the DaemonSet, for the step planned from it (see `StepBasis`). */
export type Loaded<T> = Readonly<{ snapshot: T; basis: StepBasis }>;

/**
 * Everything one reconcile step decides from, read strongly consistently side by side: the DaemonSet's
 * partition (spec and state items, revisions, pods, statuses), and the fleet from the store's `FleetCache`
 * (in full the first time, then only the nodes written since).
 */
export async function loadSnapshot(
  context: DynamoContext,
  key: DaemonSetKey,
  fleet: FleetCache,
): Promise<Loaded<ClusterSnapshot> | undefined> {
  const [items, nodes] = await Promise.all([
    queryAll(context, {
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': PK },
      ExpressionAttributeValues: { ':pk': daemonSetPartition(key) },
      ConsistentRead: true,
    }),
    fleet.nodes(),
  ]);
  const { record: stored, revisions, pods } = readPartition(key, items);
  const record = stored?.record;
  if (record?.kind !== 'live') return undefined;
  const snapshot = {
    daemonSet: record.daemonSet,
    version: record.version,
    revisions,
    nodes,
    pods,
    ...(record.status === undefined ? {} : { status: record.status }),
    memory: record.memory,
  };
  return { snapshot, basis: { record, revisions } };
}

/**
 * The node path's read: two strongly consistent queries of the DaemonSet's partition side by side, its two
 * `DAEMONSET` items and its pods (with statuses) on the node (`POD#<node>#...`): about two read units,
 * whatever the fleet's size.
 */
export async function loadNodeSnapshot(
  context: DynamoContext,
  key: DaemonSetKey,
  nodeName: string,
): Promise<Loaded<NodeSnapshot> | undefined> {
  const inPartition = (prefix: string) =>
    queryAll(context, {
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
      ExpressionAttributeValues: { ':pk': daemonSetPartition(key), ':prefix': prefix },
      ConsistentRead: true,
    });
  const [recordItems, podItems] = await Promise.all([
    inPartition(DAEMON_SET_PREFIX),
    inPartition(podsOnNodePrefix(nodeName)),
  ]);
  const record = readPartition(key, recordItems).record?.record;
  if (record?.kind !== 'live') return undefined;
  const snapshot = {
    daemonSet: record.daemonSet,
    version: record.version,
    pods: readPartition(key, podItems).pods,
    ...(record.status === undefined ? {} : { status: record.status }),
    memory: record.memory,
  };
  return { snapshot, basis: { record } };
}
