import { PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type ControllerRevision,
  type DaemonSet,
  type DaemonSetKey,
  fromDaemonSetKey,
  toDaemonSetKey,
} from '../../model/daemon-set.js';
import type { FactOutcome } from '../../ports/cluster-store.js';
import { DaemonSetNotFoundError, VersionConflictError } from '../../ports/errors.js';
import { toFactTime } from '../fact-time.js';
import {
  type DaemonSetWrite,
  planApplyDaemonSet,
  planDeleteDaemonSet,
  planUpdateDaemonSet,
} from '../plan-daemon-set-fact.js';
import { MAX_WRITE_ATTEMPTS } from '../store-options.js';
import { writeIfHolds } from './conditions.js';
import { type DaemonSetItems, toDaemonSetSpecItem, toDaemonSetStateItem } from './daemon-set-items.js';
import type { DynamoContext } from './dynamo-context.js';
import { daemonSetItemKey, daemonSetStateItemKey, PK, TTL } from './keys.js';
import { readDaemonSetItems } from './read-daemon-set.js';
import { readRevisions } from './reads.js';

/** `ClusterStore.applyDaemonSet`: read, plan, write unless the record moved; then decide again. */
export async function applyDaemonSet(
  context: DynamoContext,
  daemonSet: DaemonSet,
  observedAt: string,
): Promise<{ outcome: FactOutcome; generation: number }> {
  const key = toDaemonSetKey(daemonSet.namespace, daemonSet.name);
  const time = toFactTime(observedAt);
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt += 1) {
    const read = await readDaemonSetItems(context, key, true);
    const plan = planApplyDaemonSet(read?.record, daemonSet, time);
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
    const read = await readDaemonSetItems(context, key, true);
    const plan = planDeleteDaemonSet(read?.record, time, context.settings.tombstoneSeconds);
    if (await writeDaemonSet(context, key, read, plan)) return plan.outcome;
  }
  throw new VersionConflictError(key);
}

/** `ClusterStore.updateDaemonSet`: `change` runs again on fresh state whenever the write loses a race. */
export async function updateDaemonSet(
  context: DynamoContext,
  key: DaemonSetKey,
  change: (current: DaemonSet, revisions: readonly ControllerRevision[]) => DaemonSet,
  observedAt?: string,
): Promise<DaemonSet> {
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt += 1) {
    const read = await readDaemonSetItems(context, key, true);
    const live = read?.record;
    if (live?.kind !== 'live') throw new DaemonSetNotFoundError(key);
    const record = planUpdateDaemonSet(
      live,
      change(live.daemonSet, await readRevisions(context, key, true)),
      observedAt,
    );
    if (record === undefined) return live.daemonSet;
    await context.settings.hooks.beforeUpdateWrite?.(key, attempt);
    const plan = { write: 'put', record, outcome: 'stored', generation: record.daemonSet.generation } as const;
    if (await writeDaemonSet(context, key, read, plan)) return record.daemonSet;
  }
  throw new VersionConflictError(key);
}

/**
 * Writes a planned change on condition that the record is exactly as read (or still absent); resolves false
 * when it moved. A spec write puts the spec item and moves the state item's version in one transaction, so
 * a reconcile that read the old spec fails its version condition. A fact-time advance (`touch`) writes the
 * spec item alone, conditioned on the spec item's version and fact time: every spec write changes that
 * version, reconcile steps do not, so a touch never conflicts with a reconcile.
 */
async function writeDaemonSet(
  context: DynamoContext,
  key: DaemonSetKey,
  read: DaemonSetItems | undefined,
  plan: DaemonSetWrite,
): Promise<boolean> {
  if (plan.write === 'none') return true;
  const TableName = context.tableName;
  const specUnchanged = unchangedSince(read);
  if (plan.write === 'touch') {
    const expiry = plan.expiresAt === undefined ? {} : { ':expiresAt': plan.expiresAt };
    return writeIfHolds(() =>
      context.client.send(
        new UpdateCommand({
          TableName,
          Key: daemonSetItemKey(key),
          UpdateExpression: `SET #observedAt = :observedAt${plan.expiresAt === undefined ? '' : ', #ttl = :expiresAt'}`,
          ConditionExpression: specUnchanged.ConditionExpression,
          ExpressionAttributeNames: {
            ...specUnchanged.ExpressionAttributeNames,
            '#observedAt': 'observedAt',
            ...(plan.expiresAt === undefined ? {} : { '#ttl': TTL }),
          },
          ExpressionAttributeValues: {
            ...specUnchanged.ExpressionAttributeValues,
            ':observedAt': plan.observedAt,
            ...expiry,
          },
        }),
      ),
    );
  }
  const spec = { TableName, Item: toDaemonSetSpecItem(key, plan.record), ...specUnchanged };
  if (plan.record.kind === 'removed') {
    return writeIfHolds(() => context.client.send(new PutCommand(spec)));
  }
  const previous = read?.record;
  const state =
    previous?.kind === 'live'
      ? {
          Update: {
            TableName,
            Key: daemonSetStateItemKey(key),
            UpdateExpression: 'SET #version = :version',
            ConditionExpression: '#version = :readVersion',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':version': plan.record.version, ':readVersion': previous.version },
          },
        }
      : { Put: { TableName, Item: toDaemonSetStateItem(key, plan.record), ConditionExpression: MUST_NOT_EXIST } };
  return writeIfHolds(() => context.client.send(new TransactWriteCommand({ TransactItems: [{ Put: spec }, state] })));
}

type Condition = Readonly<{
  ConditionExpression: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}>;

const MUST_NOT_EXIST = `attribute_not_exists(${PK})`;

/** The spec item is exactly as read: same version and fact time, or still absent. */
function unchangedSince(read: DaemonSetItems | undefined): Condition {
  if (read === undefined) return { ConditionExpression: MUST_NOT_EXIST };
  return {
    ConditionExpression: '#version = :readVersion AND #observedAt = :readObservedAt',
    ExpressionAttributeNames: { '#version': 'version', '#observedAt': 'observedAt' },
    ExpressionAttributeValues: { ':readVersion': read.specVersion, ':readObservedAt': read.record.observedAt },
  };
}
