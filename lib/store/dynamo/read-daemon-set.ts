import type { DaemonSetKey } from '../../model/daemon-set.js';
import type { DaemonSetItems } from './daemon-set-items.js';
import type { DynamoContext } from './dynamo-context.js';
import { DAEMON_SET_PREFIX, daemonSetPartition, PK, SK } from './keys.js';
import { readPartition } from './partition.js';
import { queryAll } from './query-all.js';

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
