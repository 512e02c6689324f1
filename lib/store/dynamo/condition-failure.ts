import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DaemonSetKey } from '../../model/daemon-set.js';
import { VersionConflictError } from '../../ports/errors.js';

// What a refused condition means to the store's writers.

/**
 * Whether DynamoDB refused a write because a condition did not hold: a conditional write's
 * `ConditionalCheckFailedException`, or a transaction cancelled with at least one `ConditionalCheckFailed`
 * reason. Cancellations for other reasons (a conflicting transaction, throttling) are not.
 */
export function isConditionFailure(error: unknown): boolean {
  if (error instanceof ConditionalCheckFailedException) return true;
  if (!(error instanceof TransactionCanceledException)) return false;
  return (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed');
}

/**
 * Rethrows a write error: a condition failure as `VersionConflictError` (with the original as cause),
 * anything else untouched.
 */
export function throwAsConflict(key: DaemonSetKey, error: unknown): never {
  if (isConditionFailure(error)) throw new VersionConflictError(key, { cause: error });
  throw error;
}

/** Runs a conditional write; resolves false when its condition failed, rethrows anything else. */
export async function writeIfHolds(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
