import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ControllerRevision, DaemonSetKey } from '../../model/daemon-set.js';
import { VersionConflictError } from '../../ports/errors.js';
import type { ReconcileStep } from '../../ports/reconcile-step.js';
import { type Chunk, planChunks } from '../plan-chunks.js';
import { planRemoval } from '../plan-daemon-set-fact.js';
import { isRemovalStep, planStepWrites } from '../plan-step-writes.js';
import type { LiveDaemonSet } from '../stored-records.js';
import { batchDelete, batchPut } from './batch-write.js';
import { sortKeyOf, toEventItem } from './codec.js';
import { throwAsConflict } from './conditions.js';
import { toDaemonSetSpecItem } from './daemon-set-items.js';
import type { DynamoContext } from './dynamo-context.js';
import {
  DAEMON_SET_SK,
  DAEMON_SET_STATE_SK,
  daemonSetPartition,
  daemonSetStateItemKey,
  itemKey,
  PK,
  POD_STATUS_SUFFIX,
  PODS_AND_STATUSES_PREFIX,
  SK,
} from './keys.js';
import { queryAll } from './query-all.js';
import { readDaemonSetItems } from './read-daemon-set.js';
import { readRevisions } from './reads.js';
import { toGuardItem, toGuardUpdate, toSpecUpdate, toTransactItem } from './step-items.js';

/**
 * `ClusterStore.applyStep`: writes a step if the DaemonSet is still at `expectedVersion`, in chunks that
 * fit one transaction each (see `planChunks` for the claim protocol). A step that changes nothing writes
 * nothing; a deleted DaemonSet with no pods left is removed instead.
 *
 * @throws {VersionConflictError} the DaemonSet moved, or a pod or revision was not as the step expected.
 */
export async function applyStep(
  context: DynamoContext,
  key: DaemonSetKey,
  step: ReconcileStep,
  expectedVersion: number,
  basis?: StepBasis,
): Promise<void> {
  const current =
    basis?.record.version === expectedVersion ? basis.record : (await readDaemonSetItems(context, key, true))?.record;
  if (current?.kind !== 'live' || current.version !== expectedVersion) throw new VersionConflictError(key);
  if (isRemovalStep(current, step) && !(await hasPods(context, key))) {
    await removeDaemonSet(context, key, current);
    return;
  }
  const writes = planStepWrites(current, step, {
    now: new Date(context.settings.now()).toISOString(),
    revisions: needsRevisions(current, step) ? (basis?.revisions ?? (await readRevisions(context, key, true))) : [],
    eventSeconds: context.settings.eventSeconds,
  });
  if (writes === undefined) return;
  const chunks = planChunks(writes, expectedVersion);
  for (const [index, chunk] of chunks.entries()) {
    await sendChunk(context, key, chunk);
    if (index < chunks.length - 1) await context.settings.hooks.afterChunk?.(key, index, chunks.length);
  }
  // After the commit, outside its transaction: events are informational and must not hold up or undo the
  // step. A failure here is thrown (never swallowed): the message is retried, the retry decides from the
  // committed state, and only this step's events are lost.
  await batchPut(
    context,
    writes.events.map((record) => toEventItem(key, record)),
  );
}

/**
 * What the snapshot a step was planned from already read: the DaemonSet record at the version the step is
 * written under (so it is the record the guard protects) and, for a full snapshot, its revisions. With it the
 * step is written without reading them again.
 */
export type StepBasis = Readonly<{ record: LiveDaemonSet; revisions?: readonly ControllerRevision[] }>;

/**
 * Created pods take their revision's template labels; a pod of the current template's revision (the only kind
 * the node path creates) takes the DaemonSet's own, so the revisions need not be read for it.
 */
function needsRevisions(current: LiveDaemonSet, step: ReconcileStep): boolean {
  const currentHash =
    current.status?.observedGeneration === current.daemonSet.generation ? current.status.updateRevision : undefined;
  return step.actions.some((action) => action.kind === 'createPod' && action.revisionHash !== currentHash);
}

async function sendChunk(context: DynamoContext, key: DaemonSetKey, chunk: Chunk): Promise<void> {
  const daemonSet = chunk.guard.update?.daemonSet;
  try {
    if (chunk.items.length === 0 && daemonSet === undefined) {
      // Status and memory alone: a plain conditional update costs half a one-item transaction.
      await context.client.send(new UpdateCommand(toGuardUpdate(context, key, chunk.guard)));
      return;
    }
    const TransactItems = [
      toGuardItem(context, key, chunk.guard),
      ...(daemonSet === undefined ? [] : [toSpecUpdate(context, key, daemonSet, chunk.guard.nextVersion)]),
      ...chunk.items.map((item) => toTransactItem(context, key, item)),
    ];
    await context.client.send(new TransactWriteCommand({ TransactItems }));
  } catch (error) {
    throwAsConflict(key, error);
  }
}

/** Whether any desired pod is left (statuses share the sort-key prefix, so the keys are read and told apart). */
async function hasPods(context: DynamoContext, key: DaemonSetKey): Promise<boolean> {
  const items = await queryAll(context, {
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ProjectionExpression: '#sk',
    ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
    ExpressionAttributeValues: { ':pk': daemonSetPartition(key), ':prefix': PODS_AND_STATUSES_PREFIX },
    ConsistentRead: true,
  });
  return items.some((item) => !sortKeyOf(item).endsWith(POD_STATUS_SUFFIX));
}

/**
 * Removes a deleted DaemonSet whose pods are all gone: claims it (version v → v+1) so no reconciler can
 * write meanwhile, deletes its revisions and statuses in batches, then, in one transaction, replaces the
 * spec item with a tombstone (v+2) that refuses older applies until it expires and deletes the state item. Interrupted, it is simply done again by
 * the next reconcile, which still finds the deleted record.
 */
async function removeDaemonSet(context: DynamoContext, key: DaemonSetKey, current: LiveDaemonSet): Promise<void> {
  const { claimedVersion, tombstone } = planRemoval(current, context.settings.tombstoneSeconds);
  const claim = { kind: 'advance', expectedVersion: current.version, nextVersion: claimedVersion } as const;
  try {
    await context.client.send(new UpdateCommand(toGuardUpdate(context, key, claim)));
  } catch (error) {
    throwAsConflict(key, error);
  }
  const items = await queryAll(context, {
    KeyConditionExpression: '#pk = :pk',
    ProjectionExpression: '#pk, #sk',
    ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
    ExpressionAttributeValues: { ':pk': daemonSetPartition(key) },
    ConsistentRead: true,
  });
  const others = items.map(sortKeyOf).filter((sortKey) => sortKey !== DAEMON_SET_SK && sortKey !== DAEMON_SET_STATE_SK);
  await batchDelete(
    context,
    others.map((sortKey) => itemKey(daemonSetPartition(key), sortKey)),
  );
  // The tombstone replaces the spec item and the state item goes, only if the claim still holds.
  const TableName = context.tableName;
  const TransactItems = [
    { Put: { TableName, Item: toDaemonSetSpecItem(key, tombstone) } },
    {
      Delete: {
        TableName,
        Key: daemonSetStateItemKey(key),
        ConditionExpression: '#version = :claimed',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':claimed': claimedVersion },
      },
    },
  ];
  try {
    await context.client.send(new TransactWriteCommand({ TransactItems }));
  } catch (error) {
    throwAsConflict(key, error);
  }
}
