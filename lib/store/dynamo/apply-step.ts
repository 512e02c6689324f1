import { TransactWriteCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DaemonSet, DaemonSetKey } from '../../model/daemon-set.js';
import { VersionConflictError } from '../../ports/errors.js';
import type { PendingMark, ReconcileStep } from '../../ports/reconcile-step.js';
import { expiresAfter } from '../plan/plan-fact.js';
import {
  type Chunk,
  type DaemonSetGuard,
  ITEMS_PER_CHUNK,
  type ItemWrite,
  isRemovalStep,
  planChunks,
  planRemoval,
  planStepWrites,
  type StepWrites,
} from '../plan/plan-step-writes.js';
import type { LiveDaemonSet } from '../plan/stored-records.js';
import { batchPut } from './batch-write.js';
import { applyClaimedStep, NO_CLAIM } from './claimed-step.js';
import { throwAsConflict } from './condition-failure.js';
import { readDaemonSetItems, readRevisions, type StepBasis } from './reads.js';
import { isStepLogItem, loggedStamp, logPays, toStepLogItem } from './step-log.js';
import {
  CLAIM_ID,
  DAEMON_SET_SK,
  DAEMON_SET_STATE_SK,
  type DynamoContext,
  daemonSetItemKey,
  daemonSetPartition,
  daemonSetStateItemKey,
  type Item,
  isRemovedItem,
  itemKey,
  newWriteStamp,
  PENDING_SINCE,
  PK,
  POD_STATUS_SUFFIX,
  PODS_AND_STATUSES_PREFIX,
  queryAll,
  REMOVED_AT,
  SK,
  sortKeyOf,
  toDaemonSetSpecItem,
  toEventItem,
} from './table.js';
import { type TransactItem, toTransactItem } from './transact-item.js';

// A reconcile step's write: the planned chunks as transactions (their items and conditions), the removal of a
// deleted DaemonSet, and the batch writes that carry its events and cleanup.

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
): Promise<readonly Item[]> {
  const read = basis?.record.version === expectedVersion ? basis : await readDaemonSetItems(context, key, true);
  const current = read?.record;
  // A claimed version is some claimed step's: its guard would refuse the step anyway (`NO_CLAIM`).
  if (current?.kind !== 'live' || current.version !== expectedVersion || read?.claim !== undefined)
    throw new VersionConflictError(key);
  if (isRemovalStep(current, step) && !(await hasPods(context, key))) {
    await removeDaemonSet(context, key, current);
    return [];
  }
  const writes = planStepWrites(current, step, {
    now: new Date(context.settings.now()).toISOString(),
    revisions: needsRevisions(current, step) ? (basis?.revisions ?? (await readRevisions(context, key, true))) : [],
    eventSeconds: context.settings.eventSeconds,
  });
  if (writes === undefined) return [];
  const written = isClaimed(context, writes, step)
    ? await applyClaimedStep(context, key, writes, expectedVersion)
    : await sendChunks(context, key, planChunks(writes, expectedVersion), step.pendingMark);
  // After the commit, outside its transaction: events are informational and must not hold up or undo the
  // step. A failure here is thrown (never swallowed): the message is retried, the retry decides from the
  // committed state, and only this step's events are lost.
  await batchPut(
    context,
    writes.events.map((record) => toEventItem(key, record)),
  );
  return written;
}

/** Sends a step's chunks in order (the first carries the node path's mark); returns the whole items they put. */
async function sendChunks(
  context: DynamoContext,
  key: DaemonSetKey,
  chunks: readonly Chunk[],
  mark: PendingMark | undefined,
): Promise<readonly Item[]> {
  const written: Item[] = [];
  for (const [index, chunk] of chunks.entries()) {
    written.push(...(await sendChunk(context, key, chunk, index === 0 ? mark : undefined)));
    if (index < chunks.length - 1) await context.settings.hooks.afterChunk?.(key, index, chunks.length);
  }
  return written;
}

/**
 * Whether a step is written as a claimed step (`claimed-step.ts`): one of many items, which neither rewrites the
 * spec (that goes in a transaction with the version) nor keeps the pending marker (the node path's one pod).
 */
function isClaimed(context: DynamoContext, writes: StepWrites, step: ReconcileStep): boolean {
  return (
    writes.items.length >= context.settings.claimedStepItems &&
    writes.update.daemonSet === undefined &&
    step.pendingMark === undefined
  );
}

/**
 * Created pods take their revision's template labels; a pod of the current template's revision (the only kind
 * the node path creates) takes the DaemonSet's own, so the revisions need not be read for it.
 */
function needsRevisions(current: LiveDaemonSet, step: ReconcileStep): boolean {
  const currentHash =
    current.status?.observedGeneration === current.daemonSet.generation ? current.status.updateRevision : undefined;
  return step.actions.some((action) => action.kind === 'createPod' && action.revisionHash !== currentHash);
}

/** Sends one chunk; returns the whole items it put (creates and removal markers), as they now stand. */
async function sendChunk(
  context: DynamoContext,
  key: DaemonSetKey,
  chunk: Chunk,
  mark: PendingMark | undefined,
): Promise<readonly Item[]> {
  const daemonSet = chunk.guard.update?.daemonSet;
  try {
    if (chunk.items.length === 0 && daemonSet === undefined) {
      // Status and memory alone: a plain conditional update costs half a one-item transaction.
      await context.client.send(new UpdateCommand(toGuardUpdate(context, key, chunk.guard, mark)));
      return [];
    }
    const items = toChunkItems(context, key, chunk.items);
    const TransactItems = [
      { Update: toGuardUpdate(context, key, chunk.guard, mark) },
      ...(daemonSet === undefined ? [] : [toSpecUpdate(context, key, daemonSet, chunk.guard.nextVersion)]),
      ...items,
    ];
    await context.client.send(new TransactWriteCommand({ TransactItems }));
    return written(items);
  } catch (error) {
    throwAsConflict(key, error);
  }
}

/**
 * A chunk's items as transaction items: with a step log (`step-log.ts`) when it costs fewer write units than a
 * `bySeq` entry per item, each item stamped for `bySeq` otherwise.
 */
function toChunkItems(context: DynamoContext, key: DaemonSetKey, writes: readonly ItemWrite[]): TransactItem[] {
  const stamp = newWriteStamp(context);
  const logged = writes.map((write) => toTransactItem(context, key, write, loggedStamp(stamp)));
  const now = new Date(context.settings.now()).toISOString();
  const log = toStepLogItem(
    daemonSetPartition(key),
    stamp,
    logged.map(sortKeyOfTransactItem),
    expiresAfter(now, context.settings.tombstoneSeconds),
  );
  if (!logPays(log, logged.length)) return writes.map((write) => toTransactItem(context, key, write));
  return [...logged, { Put: { TableName: context.tableName, Item: log } }];
}

/**
 * The whole items a chunk put, as they now stand, for the writer's partition cache: its creates and removal
 * markers, and its log only when the log names nothing else (an updated item is not known whole, so a reader
 * must still fetch it through the log).
 */
function written(items: readonly TransactItem[]): readonly Item[] {
  const puts = items.flatMap((item) => (item.Put?.Item === undefined ? [] : [item.Put.Item]));
  return puts.length === items.length ? puts : puts.filter((item) => !isStepLogItem(item));
}

const sortKeyOfTransactItem = (item: TransactItem): string =>
  sortKeyOf((item.Put?.Item ?? item.Update?.Key ?? {}) as Item);

/** Whether any desired pod is left (statuses share the sort-key prefix, so the keys are read and told apart). */
async function hasPods(context: DynamoContext, key: DaemonSetKey): Promise<boolean> {
  const items = await queryAll(context, {
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ProjectionExpression: '#sk, #removedAt',
    ExpressionAttributeNames: { '#pk': PK, '#sk': SK, '#removedAt': REMOVED_AT },
    ExpressionAttributeValues: { ':pk': daemonSetPartition(key), ':prefix': PODS_AND_STATUSES_PREFIX },
    ConsistentRead: true,
  });
  return items.some((item) => !isRemovedItem(item) && !sortKeyOf(item).endsWith(POD_STATUS_SUFFIX));
}

/**
 * Removes a deleted DaemonSet whose pods are all gone: claims it (version v → v+1) so no reconciler can
 * write meanwhile, deletes its revisions and statuses in transactions that each check the claim still holds
 * (a newer apply moves the version and stops the removal), then, in one transaction, replaces the
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
  await context.settings.hooks.afterRemovalClaim?.(key);
  const items = await queryAll(context, {
    KeyConditionExpression: '#pk = :pk',
    ProjectionExpression: '#pk, #sk',
    ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
    ExpressionAttributeValues: { ':pk': daemonSetPartition(key) },
    ConsistentRead: true,
  });
  const others = items.map(sortKeyOf).filter((sortKey) => sortKey !== DAEMON_SET_SK && sortKey !== DAEMON_SET_STATE_SK);
  // Each delete goes in a transaction with a check that the claim still holds: an apply that re-creates the
  // DaemonSet meanwhile moves the version, and from then on nothing of the new DaemonSet (its revisions, the
  // pods its reconciles create) can be deleted here.
  const TableName = context.tableName;
  const claimHolds = {
    ConditionCheck: {
      TableName,
      Key: daemonSetStateItemKey(key),
      ConditionExpression: '#version = :claimed',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':claimed': claimedVersion },
    },
  };
  for (let start = 0; start < others.length; start += ITEMS_PER_CHUNK) {
    const deletes = others
      .slice(start, start + ITEMS_PER_CHUNK)
      .map((sortKey) => ({ Delete: { TableName, Key: itemKey(daemonSetPartition(key), sortKey) } }));
    try {
      await context.client.send(new TransactWriteCommand({ TransactItems: [claimHolds, ...deletes] }));
    } catch (error) {
      throwAsConflict(key, error);
    }
  }
  // The tombstone replaces the spec item and the state item goes, only if the claim still holds.
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

/**
 * Moves the DaemonSet's version on if it is still the expected one, writing the step's status and memory
 * with it: an update of the small state item only (the spec item is written by `toSpecUpdate`). The node
 * path's `mark` sets the pending-reconcile marker in the same write, or requires it unchanged.
 */
export function toGuardUpdate(
  context: DynamoContext,
  key: DaemonSetKey,
  guard: DaemonSetGuard,
  mark?: PendingMark,
): UpdateCommandInput & { UpdateExpression: string } {
  const { update } = guard;
  const sets: (readonly [name: string, value: unknown])[] = [['version', guard.nextVersion]];
  if (update !== undefined)
    sets.push(['status', JSON.stringify(update.status)], ['memory', JSON.stringify(update.memory)]);
  if (mark !== undefined && 'set' in mark) sets.push([PENDING_SINCE, mark.set]);
  const expectMark = mark !== undefined && 'expect' in mark;
  return {
    TableName: context.tableName,
    Key: daemonSetStateItemKey(key),
    UpdateExpression: `SET ${sets.map(([name]) => `#${name} = :${name}`).join(', ')}`,
    ConditionExpression: `#version = :expected AND ${NO_CLAIM}${expectMark ? ' AND #mark = :markExpected' : ''}`,
    ExpressionAttributeNames: {
      ...Object.fromEntries(sets.map(([name]) => [`#${name}`, name])),
      '#claimId': CLAIM_ID,
      ...(expectMark ? { '#mark': PENDING_SINCE } : {}),
    },
    ExpressionAttributeValues: {
      ':expected': guard.expectedVersion,
      ...Object.fromEntries(sets.map(([name, value]) => [`:${name}`, value])),
      ...(expectMark ? { ':markExpected': mark.expect } : {}),
    },
  };
}

/**
 * A reverted template: the spec item takes the new spec and the version the chunk moves to. Unconditional,
 * because it only goes in a transaction with the guard, whose version condition covers the spec too (every
 * spec write moves the state item's version).
 */
export function toSpecUpdate(
  context: DynamoContext,
  key: DaemonSetKey,
  daemonSet: DaemonSet,
  version: number,
): TransactItem {
  return {
    Update: {
      TableName: context.tableName,
      Key: daemonSetItemKey(key),
      UpdateExpression: 'SET #daemonSet = :daemonSet, #version = :version',
      ExpressionAttributeNames: { '#daemonSet': 'daemonSet', '#version': 'version' },
      ExpressionAttributeValues: { ':daemonSet': JSON.stringify(daemonSet), ':version': version },
    },
  };
}
