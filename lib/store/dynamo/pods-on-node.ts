import type { DaemonSetKey } from '../../model/daemon-set.js';
import type { Pod } from '../../model/pod.js';
import { type Item, partitionOf } from './codec.js';
import type { DynamoContext } from './dynamo-context.js';
import { keyOfPartition, NODE_INDEX_PK, nodeIndexPartition } from './keys.js';
import { readPartition } from './partition.js';
import { queryAll } from './query-all.js';
import { BY_NODE_INDEX } from './table-definition.js';

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
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .flatMap(([partition, group]) => {
      const daemonSet = keyOfPartition(partition);
      return readPartition(daemonSet, group)
        .pods.filter((pod) => pod.nodeName === nodeName)
        .map((pod) => ({ ...pod, daemonSet }));
    });
}
