import type { DaemonSetKey } from '../../model/daemon-set.js';
import type { ClusterSnapshot } from '../../ports/cluster-snapshot.js';
import type { DynamoContext } from './dynamo-context.js';
import { daemonSetPartition, PK } from './keys.js';
import { readPartition } from './partition.js';
import { queryAll } from './query-all.js';
import { readNodes } from './reads.js';

/**
 * Everything one reconcile step decides from, with two strongly consistent, paginated queries run side by
 * side: the DaemonSet's partition (spec and state items, revisions, pods, statuses) and the nodes partition.
 */
export async function loadSnapshot(context: DynamoContext, key: DaemonSetKey): Promise<ClusterSnapshot | undefined> {
  const [items, nodes] = await Promise.all([
    queryAll(context, {
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': PK },
      ExpressionAttributeValues: { ':pk': daemonSetPartition(key) },
      ConsistentRead: true,
    }),
    readNodes(context, true),
  ]);
  const { record: stored, revisions, pods } = readPartition(key, items);
  const record = stored?.record;
  if (record?.kind !== 'live') return undefined;
  return {
    daemonSet: record.daemonSet,
    version: record.version,
    revisions,
    nodes,
    pods,
    ...(record.status === undefined ? {} : { status: record.status }),
    memory: record.memory,
  };
}
