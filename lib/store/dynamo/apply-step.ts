import { QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DaemonSetKey } from '../../model/daemon-set.js';
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
  POD_PREFIX,
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
): Promise<void> {
  const current = (await readDaemonSetItems(context, key, true))?.record;
  if (current?.kind !== 'live' || current.version !== expectedVersion) throw new VersionConflictError(key);
  if (isRemovalStep(current, step) && !(await hasPods(context, key))) {
    await removeDaemonSet(context, key, current);
    return;
  }
  const createsPods = step.actions.some((action) => action.kind === 'createPod');
  const writes = planStepWrites(current, step, {
    now: new Date(context.settings.now()).toISOString(),
    revisions: createsPods ? await readRevisions(context, key, true) : [],
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

async function hasPods(context: DynamoContext, key: DaemonSetKey): Promise<boolean> {
  const page = await context.client.send(
    new QueryCommand({
      TableName: context.tableName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
      ExpressionAttributeValues: { ':pk': daemonSetPartition(key), ':prefix': POD_PREFIX },
      ConsistentRead: true,
      Limit: 1,
    }),
  );
  return (page.Items ?? []).length > 0;
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
