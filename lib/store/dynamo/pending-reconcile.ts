import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DaemonSetKey } from '../../model/daemon-set.js';
import type { PendingReconcile } from '../../ports/cluster-store.js';
import { writeIfHolds } from './conditions.js';
import type { DynamoContext } from './dynamo-context.js';
import { daemonSetStateItemKey, PK } from './keys.js';

/** The state item's marker attribute: epoch ms of the ingest that enqueued the pending reconcile. */
export const PENDING_SINCE = 'pendingSince';

/**
 * Sets `pendingSince` on the DaemonSet's state item if it is absent or older than `timeoutSeconds`: one
 * conditional UpdateItem (1 WCU, charged whether the condition holds or not). A refusal returns the old item,
 * which tells a fresh marker (`coalesced`) from a DaemonSet without state (`enqueue`: nothing to mark, and the
 * update must not create a state item).
 */
export async function markReconcilePending(
  context: DynamoContext,
  key: DaemonSetKey,
  now: number,
  timeoutSeconds: number,
): Promise<PendingReconcile> {
  try {
    await context.client.send(
      new UpdateCommand({
        TableName: context.tableName,
        Key: daemonSetStateItemKey(key),
        UpdateExpression: 'SET #pending = :now',
        ConditionExpression: 'attribute_exists(#pk) AND (attribute_not_exists(#pending) OR #pending < :timedOut)',
        ExpressionAttributeNames: { '#pk': PK, '#pending': PENDING_SINCE },
        ExpressionAttributeValues: { ':now': now, ':timedOut': now - timeoutSeconds * 1000 },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return 'enqueue';
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return error.Item === undefined ? 'enqueue' : 'coalesced';
  }
}

/**
 * Removes `pendingSince` from the state item. Conditioned on the marker, so a DaemonSet without state gets no
 * stray item; a refused condition (no marker) is not an error.
 */
export async function clearReconcilePending(context: DynamoContext, key: DaemonSetKey): Promise<void> {
  await writeIfHolds(() =>
    context.client.send(
      new UpdateCommand({
        TableName: context.tableName,
        Key: daemonSetStateItemKey(key),
        UpdateExpression: 'REMOVE #pending',
        ConditionExpression: 'attribute_exists(#pending)',
        ExpressionAttributeNames: { '#pending': PENDING_SINCE },
      }),
    ),
  );
}
