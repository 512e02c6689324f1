import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DaemonSetKey } from '../../model/daemon-set.js';
import { lookBackFrom } from './caches.js';
import { putStepLogs } from './claimed-step.js';
import { writeIfHolds } from './condition-failure.js';
import { STEP_LOG_PREFIX } from './step-log.js';
import {
  CLAIM_ID,
  CLAIM_UNTIL,
  DAEMON_SET_PREFIX,
  type DynamoContext,
  daemonSetPartition,
  daemonSetStateItemKey,
  PK,
  queryAll,
  SK,
  type StepClaim,
  sortKeyOf,
  WRITE_ID,
} from './table.js';

// Taking over a claimed step whose claimer did not release it (it crashed, stalled past its lease, or met an error
// that left a write's outcome unknown): docs/decisions/0009, section 1.

/** SQS's longest message delay: a wait for a claim is never asked for longer. */
const MAX_WAIT_SECONDS = 900;

/**
 * Whether every write the claimer sent has landed: its lease has ended, and so long ago that no write sent before
 * it can still land (`writeLagMs`, or, when this process is the table's only writer, none of its writes that
 * began before the lease ended is still under way).
 */
export function isExpired(context: DynamoContext, claim: StepClaim): boolean {
  return lookBackFrom(context, context.settings.now()) > claim.until;
}

/**
 * How long a pass that found a live claim waits before it looks again: until the claim expires, in case its claimer
 * died. A claimer that finishes releases the claim with the pending marker removed (`claimed-step.ts`), so its own
 * next pass, enqueued after the release, is the one that carries on: a waiting pass is only the backstop.
 */
export function recheckAfterClaim(context: DynamoContext, claim: StepClaim): number {
  const expiresInSeconds =
    Math.ceil(Math.max(0, claim.until - lookBackFrom(context, context.settings.now())) / 1000) + 1;
  return Math.max(1, Math.min(MAX_WAIT_SECONDS, expiresInSeconds));
}

/**
 * Takes over an expired claim: reads the partition whole (strongly consistent, after every write of the claimer
 * has landed), names in a step log every item that carries the claim's id (a claimer that died before its log
 * wrote items no warm reader would find), then removes the claim and moves the version on, so nothing planned
 * under the claimed version can be written. Another reader may take it over at the same time: the claim goes once,
 * and a second log naming the same items costs a write and nothing else.
 */
export async function recoverClaim(context: DynamoContext, key: DaemonSetKey, claim: StepClaim): Promise<void> {
  const items = await queryAll(context, {
    KeyConditionExpression: '#pk = :pk AND #sk < :logs',
    ProjectionExpression: '#pk, #sk, #writeId',
    ExpressionAttributeNames: { '#pk': PK, '#sk': SK, '#writeId': WRITE_ID },
    ExpressionAttributeValues: { ':pk': daemonSetPartition(key), ':logs': STEP_LOG_PREFIX },
    ConsistentRead: true,
  });
  const orphans = items
    .filter((item) => item[WRITE_ID] === claim.id && !sortKeyOf(item).startsWith(DAEMON_SET_PREFIX))
    .map(sortKeyOf);
  await putStepLogs(context, key, claim.id, orphans);
  const tookOver = await writeIfHolds(() =>
    context.client.send(
      new UpdateCommand({
        TableName: context.tableName,
        Key: daemonSetStateItemKey(key),
        UpdateExpression: 'SET #version = #version + :one REMOVE #claimId, #claimUntil',
        // At the `until` read too: a renewal sent while the lease held has landed by now (`isExpired`), so this only
        // fences a claimer that renewed late, which `claimed-step.ts` never does.
        ConditionExpression: '#claimId = :claimId AND #claimUntil = :until',
        ExpressionAttributeNames: { '#version': 'version', '#claimId': CLAIM_ID, '#claimUntil': CLAIM_UNTIL },
        ExpressionAttributeValues: { ':one': 1, ':claimId': claim.id, ':until': claim.until },
      }),
    ),
  );
  if (tookOver) await context.settings.hooks.afterClaimTakenOver?.(key);
}
