import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DaemonSetKey } from '../../model/daemon-set.js';
import type { PodDeletionRequest } from '../../model/pod.js';
import type { FactOutcome } from '../../ports/cluster-store.js';
import { planPodDeletion } from '../plan/plan-pod-deletion.js';
import { MAX_WRITE_ATTEMPTS } from '../plan/store-options.js';
import { writeIfHolds } from './condition-failure.js';
import { readItem } from './read-item.js';
import {
  type DynamoContext,
  fromPodItem,
  isRemovedItem,
  newWriteStamp,
  PK,
  podItemKey,
  podStatusItemKey,
  REMOVED_AT,
  SEQ,
  WRITE_ID,
} from './table.js';
import { removalOf } from './writes.js';

/** The pod read is still there, live, and the one named: what every write below is conditional on. */
const SAME_POD = `attribute_exists(${PK}) AND attribute_not_exists(${REMOVED_AT}) AND #creationTimestamp = :created`;

/**
 * `ClusterStore.deletePod` on DynamoDB: reads the pod, plans with `planPodDeletion`, and writes under a
 * condition that the pod is still the one read (same creation time, not removed, and for a mark, not already
 * terminating); a lost race reads and decides again. The mark and the removal are stamped for the bySeq
 * index, and the removal leaves markers, so warm readers (agents' pod lists, watches) see the change.
 */
export async function deletePod(
  context: DynamoContext,
  key: DaemonSetKey,
  request: PodDeletionRequest,
  observedAt: string,
): Promise<FactOutcome> {
  const desiredKey = podItemKey(key, request.nodeName, request.name);
  const names = { '#creationTimestamp': 'creationTimestamp' };
  const values = { ':created': request.creationTimestamp };
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt += 1) {
    const item = await readItem(context, desiredKey);
    const stored = item === undefined || isRemovedItem(item) ? undefined : fromPodItem(item);
    const plan = planPodDeletion(stored, request);
    if (plan.write === 'none') return plan.outcome;
    const write =
      plan.write === 'markDeleted'
        ? () => {
            const stamp = newWriteStamp(context);
            return context.client.send(
              new UpdateCommand({
                TableName: context.tableName,
                Key: desiredKey,
                UpdateExpression: 'SET #deletionTimestamp = :deletionTimestamp, #seq = :seq, #writeId = :writeId',
                ConditionExpression: `${SAME_POD} AND attribute_not_exists(#deletionTimestamp)`,
                ExpressionAttributeNames: {
                  ...names,
                  '#deletionTimestamp': 'deletionTimestamp',
                  '#seq': SEQ,
                  '#writeId': WRITE_ID,
                },
                ExpressionAttributeValues: {
                  ...values,
                  ':deletionTimestamp': observedAt,
                  ':seq': stamp.seq,
                  ':writeId': stamp.writeId,
                },
              }),
            );
          }
        : () =>
            context.client.send(
              new TransactWriteCommand({
                TransactItems: [
                  {
                    Put: {
                      TableName: context.tableName,
                      Item: removalOf(context, desiredKey),
                      ConditionExpression: SAME_POD,
                      ExpressionAttributeNames: names,
                      ExpressionAttributeValues: values,
                    },
                  },
                  {
                    Put: {
                      TableName: context.tableName,
                      Item: removalOf(context, podStatusItemKey(key, request.nodeName, request.name)),
                    },
                  },
                ],
              }),
            );
    if (await writeIfHolds(write)) return plan.outcome;
  }
  throw new Error(`pod ${key}/${request.name}: its record kept changing while deleting it`);
}
