import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DaemonSet, DaemonSetKey } from '../../model/daemon-set.js';
import { fromDaemonSetKey, toDaemonSetKey } from '../../model/daemon-set.js';
import type { ControllerRevision } from '../../model/revision.js';
import { VersionConflictError } from '../../reconcile/errors.js';
import type { FactOutcome } from '../cluster-store.js';
import { DaemonSetNotFoundError } from '../daemon-set-not-found-error.js';
import { toFactTime } from '../fact-time.js';
import {
  type DaemonSetWrite,
  planApplyDaemonSet,
  planDeleteDaemonSet,
  planUpdateDaemonSet,
} from '../plan-daemon-set-fact.js';
import { MAX_WRITE_ATTEMPTS } from '../store-options.js';
import type { DaemonSetRecord } from '../stored-records.js';
import { fromDaemonSetItem, toDaemonSetItem } from './codec.js';
import { writeIfHolds } from './conditions.js';
import type { DynamoContext } from './dynamo-context.js';
import { daemonSetItemKey, PK, TTL } from './keys.js';
import { readRevisions } from './reads.js';

/** Strongly consistent read of a DaemonSet record (live or tombstone). */
export async function readDaemonSetRecord(
  context: DynamoContext,
  key: DaemonSetKey,
): Promise<DaemonSetRecord | undefined> {
  const { Item } = await context.client.send(
    new GetCommand({ TableName: context.tableName, Key: daemonSetItemKey(key), ConsistentRead: true }),
  );
  return Item === undefined ? undefined : fromDaemonSetItem(Item);
}

/** `ClusterStore.applyDaemonSet`: read, plan, write unless the record moved; then decide again. */
export async function applyDaemonSet(
  context: DynamoContext,
  daemonSet: DaemonSet,
  observedAt: string,
): Promise<{ outcome: FactOutcome; generation: number }> {
  const key = toDaemonSetKey(daemonSet.namespace, daemonSet.name);
  const time = toFactTime(observedAt);
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt += 1) {
    const read = await readDaemonSetRecord(context, key);
    const plan = planApplyDaemonSet(read, daemonSet, time);
    if (await writeDaemonSet(context, key, read, plan)) return { outcome: plan.outcome, generation: plan.generation };
  }
  throw new VersionConflictError(key);
}

/** `ClusterStore.deleteDaemonSet`. */
export async function deleteDaemonSet(
  context: DynamoContext,
  key: DaemonSetKey,
  observedAt: string,
): Promise<FactOutcome> {
  fromDaemonSetKey(key);
  const time = toFactTime(observedAt);
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt += 1) {
    const read = await readDaemonSetRecord(context, key);
    const plan = planDeleteDaemonSet(read, time, context.settings.tombstoneSeconds);
    if (await writeDaemonSet(context, key, read, plan)) return plan.outcome;
  }
  throw new VersionConflictError(key);
}

/** `ClusterStore.updateDaemonSet`: `change` runs again on fresh state whenever the write loses a race. */
export async function updateDaemonSet(
  context: DynamoContext,
  key: DaemonSetKey,
  change: (current: DaemonSet, revisions: readonly ControllerRevision[]) => DaemonSet,
): Promise<DaemonSet> {
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt += 1) {
    const read = await readDaemonSetRecord(context, key);
    if (read?.kind !== 'live') throw new DaemonSetNotFoundError(key);
    const record = planUpdateDaemonSet(read, change(read.daemonSet, await readRevisions(context, key, true)));
    if (record === undefined) return read.daemonSet;
    await context.settings.hooks.beforeUpdateWrite?.(key, attempt);
    const plan = { write: 'put', record, outcome: 'stored', generation: record.daemonSet.generation } as const;
    if (await writeDaemonSet(context, key, read, plan)) return record.daemonSet;
  }
  throw new VersionConflictError(key);
}

/**
 * Writes a planned change on condition that the record is exactly as read (same version and fact time;
 * or still absent). Resolves false when it moved.
 */
async function writeDaemonSet(
  context: DynamoContext,
  key: DaemonSetKey,
  read: DaemonSetRecord | undefined,
  plan: DaemonSetWrite,
): Promise<boolean> {
  if (plan.write === 'none') return true;
  const unchanged = unchangedSince(read);
  if (plan.write === 'put') {
    const Item = toDaemonSetItem(key, plan.record);
    return writeIfHolds(() =>
      context.client.send(new PutCommand({ TableName: context.tableName, Item, ...unchanged })),
    );
  }
  const expiry = plan.expiresAt === undefined ? {} : { ':expiresAt': plan.expiresAt };
  return writeIfHolds(() =>
    context.client.send(
      new UpdateCommand({
        TableName: context.tableName,
        Key: daemonSetItemKey(key),
        UpdateExpression: `SET #observedAt = :observedAt${plan.expiresAt === undefined ? '' : ', #ttl = :expiresAt'}`,
        ConditionExpression: unchanged.ConditionExpression,
        ExpressionAttributeNames: {
          ...unchanged.ExpressionAttributeNames,
          '#observedAt': 'observedAt',
          ...(plan.expiresAt === undefined ? {} : { '#ttl': TTL }),
        },
        ExpressionAttributeValues: {
          ...unchanged.ExpressionAttributeValues,
          ':observedAt': plan.observedAt,
          ...expiry,
        },
      }),
    ),
  );
}

type Condition = Readonly<{
  ConditionExpression: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}>;

function unchangedSince(read: DaemonSetRecord | undefined): Condition {
  if (read === undefined) return { ConditionExpression: `attribute_not_exists(${PK})` };
  return {
    ConditionExpression: '#version = :readVersion AND #observedAt = :readObservedAt',
    ExpressionAttributeNames: { '#version': 'version', '#observedAt': 'observedAt' },
    ExpressionAttributeValues: { ':readVersion': read.version, ':readObservedAt': read.observedAt },
  };
}
