import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type ControllerRevision,
  type DaemonSet,
  type DaemonSetKey,
  fromDaemonSetKey,
  type KeptOnApply,
  type RolloutSwitch,
  toDaemonSetKey,
} from '../../model/daemon-set.js';
import type { Node } from '../../model/node.js';
import type { PodStatusReport } from '../../model/pod.js';
import type { NodeEvent, Rejection } from '../../model/status.js';
import type { FactOutcome, PendingReconcile } from '../../ports/cluster-store.js';
import { DaemonSetNotFoundError, VersionConflictError } from '../../ports/errors.js';
import {
  type DaemonSetWrite,
  expiresAfter,
  planApplyDaemonSet,
  planDeleteDaemonSet,
  planNodeFact,
  planPodStatus,
  planRolloutSwitch,
  planUpdateDaemonSet,
  toFactTime,
  toNodeRecord,
} from '../plan/plan-fact.js';
import { MAX_WRITE_ATTEMPTS } from '../plan/store-options.js';
import { writeIfHolds } from './condition-failure.js';
import { readItem } from './read-item.js';
import { readDaemonSetItems, readRevisions } from './reads.js';
import {
  type DaemonSetItems,
  type DynamoContext,
  daemonSetItemKey,
  daemonSetStateItemKey,
  fromNodeItem,
  fromPodItem,
  fromPodStatusItem,
  type Item,
  type ItemKey,
  isRemovedItem,
  newWriteStamp,
  nodeItemKey,
  PENDING_SINCE,
  PK,
  podItemKey,
  podStatusItemKey,
  REMOVED_AT,
  stampAttributes,
  TTL,
  toDaemonSetSpecItem,
  toDaemonSetStateItem,
  toNodeEventItem,
  toNodeItem,
  toPodStatusItem,
  toRejectionItem,
  toRemovedItem,
} from './table.js';

// Every write but a reconcile step's (apply-step.ts): facts about nodes, pod statuses, rejections and
// DaemonSets, each conditioned on what it read or on being newer; the pending-reconcile marker; and how a
// refused condition is told from any other error.

/** Facts are written only over nothing or over an older fact. */
const NEWER_FACT = {
  ConditionExpression: `attribute_not_exists(${PK}) OR #observedAt < :observedAt`,
  ExpressionAttributeNames: { '#observedAt': 'observedAt' },
} as const;

/** A pod status is written over nothing, a removal marker (nothing, to readers) or an older report. */
const NEWER_STATUS = {
  ConditionExpression: `attribute_not_exists(${PK}) OR attribute_exists(#removedAt) OR #observedAt < :observedAt`,
  ExpressionAttributeNames: { '#observedAt': 'observedAt', '#removedAt': REMOVED_AT },
} as const;

/**
 * Stores a node (or, with `node` absent, its removal tombstone). Writes first, conditioned on the fact
 * being newer, and reads only when that fails, to tell a duplicate (`unchanged`) from an older fact.
 */
export async function putNodeFact(
  context: DynamoContext,
  name: string,
  node: Node | undefined,
  observedAt: string,
): Promise<FactOutcome> {
  const time = toFactTime(observedAt);
  const record = toNodeRecord(node, time, context.settings.tombstoneSeconds);
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt += 1) {
    let previous: Item | undefined;
    const written = await writeIfHolds(async () => {
      const result = await context.client.send(
        new PutCommand({
          TableName: context.tableName,
          Item: toNodeItem(name, record, newWriteStamp(context)),
          ...NEWER_FACT,
          ExpressionAttributeValues: { ':observedAt': time },
          ReturnValues: 'ALL_OLD',
        }),
      );
      previous = result.Attributes;
    });
    const stored = written ? previous : await readItem(context, nodeItemKey(name));
    const decision = planNodeFact(stored && fromNodeItem(stored), node, time);
    if (written || !decision.write) return decision.outcome;
  }
  throw new Error(`node ${name}: the stored fact kept changing while writing a newer one`);
}

/**
 * Writes a node fact only over the stored fact read at `expectedObservedAt`, and only when `observedAt` is
 * newer (`ClusterStore.replaceNode`): `stale` when either does not hold.
 */
export async function replaceNodeFact(
  context: DynamoContext,
  node: Node,
  observedAt: string,
  expectedObservedAt: string,
): Promise<FactOutcome> {
  const time = toFactTime(observedAt);
  const expected = toFactTime(expectedObservedAt);
  if (!(expected < time)) return 'stale';
  const written = await writeIfHolds(() =>
    context.client.send(
      new PutCommand({
        TableName: context.tableName,
        Item: toNodeItem(
          node.name,
          toNodeRecord(node, time, context.settings.tombstoneSeconds),
          newWriteStamp(context),
        ),
        ConditionExpression: 'attribute_exists(#node) AND #observedAt = :expected',
        ExpressionAttributeNames: { '#node': 'node', '#observedAt': 'observedAt' },
        ExpressionAttributeValues: { ':expected': expected },
      }),
    ),
  );
  return written ? 'stored' : 'stale';
}

/**
 * Stores an agent's pod status report beside the desired pod (never over it). A `gone` report for a
 * terminating pod stores the `gone` marker, then replaces the desired pod with a removal marker.
 */
export async function putPodStatus(context: DynamoContext, report: PodStatusReport): Promise<FactOutcome> {
  const key = toDaemonSetKey(report.namespace, report.daemonSet);
  const normalised = { ...report, observedAt: toFactTime(report.observedAt) };
  const desiredKey = podItemKey(key, report.nodeName, report.podName);
  const statusKey = podStatusItemKey(key, report.nodeName, report.podName);
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt += 1) {
    const [desired, stored] = await Promise.all([readLive(context, desiredKey), readLive(context, statusKey)]);
    const plan = planPodStatus(
      desired && fromPodItem(desired),
      stored && fromPodStatusItem(stored),
      normalised,
      context.settings.orphanStatusSeconds,
    );
    const put =
      plan.status === undefined
        ? undefined
        : {
            TableName: context.tableName,
            Item: { ...toPodStatusItem(key, report.podName, plan.status), ...stampAttributes(newWriteStamp(context)) },
            ...NEWER_STATUS,
            ExpressionAttributeValues: { ':observedAt': normalised.observedAt },
          };
    // The desired pod goes as a removal marker, so warm readers of the partition see it go (partitions.ts).
    const remove = {
      TableName: context.tableName,
      Item: removalOf(context, desiredKey),
      ConditionExpression: 'attribute_exists(#deletionTimestamp)',
      ExpressionAttributeNames: { '#deletionTimestamp': 'deletionTimestamp' },
    };
    if (put === undefined && !plan.removeDesired) return plan.outcome;
    if (put !== undefined && !(await writeIfHolds(() => context.client.send(new PutCommand(put))))) continue;
    if (!plan.removeDesired) return plan.outcome;
    // The status first, then the removal, as two writes: a two-item transaction would cost twice the write units.
    // Between them a reader sees the terminating pod with its `gone` status (read as not yet reported), which is
    // what it saw before the report. A crash between them leaves the status stored and the record redelivered: it
    // is then `unchanged`, and the removal is all that is written. A refused removal means the pod is no longer
    // this terminating one (removed meanwhile, or created again under its name): there is nothing left to end.
    await writeIfHolds(() => context.client.send(new PutCommand(remove)));
    return plan.outcome;
  }
  throw new Error(`pod ${key}/${report.podName}: its records kept changing while storing a status report`);
}

/** Records an event about a node once per node, time and reason; a redelivery finds it stored. */
export async function recordNodeEvent(context: DynamoContext, event: NodeEvent): Promise<void> {
  const now = new Date(context.settings.now()).toISOString();
  const Item = toNodeEventItem(event, expiresAfter(now, context.settings.eventSeconds));
  await writeIfHolds(() =>
    context.client.send(
      new PutCommand({ TableName: context.tableName, Item, ConditionExpression: `attribute_not_exists(${PK})` }),
    ),
  );
}

/** Records a rejection once per id; a redelivery finds it stored and changes nothing. */
export async function recordRejection(context: DynamoContext, rejection: Rejection): Promise<void> {
  const now = new Date(context.settings.now()).toISOString();
  const Item = toRejectionItem(rejection, expiresAfter(now, context.settings.rejectionSeconds));
  await writeIfHolds(() =>
    context.client.send(
      new PutCommand({ TableName: context.tableName, Item, ConditionExpression: `attribute_not_exists(${PK})` }),
    ),
  );
}

/** The removal marker of a revision, pod or status, stamped now and kept for `tombstoneSeconds`. */
export function removalOf(context: DynamoContext, key: ItemKey): Item {
  const now = new Date(context.settings.now()).toISOString();
  return toRemovedItem(key, newWriteStamp(context), now, expiresAfter(now, context.settings.tombstoneSeconds));
}

/** An item of a DaemonSet partition, a removal marker read as nothing. */
async function readLive(context: DynamoContext, key: ItemKey): Promise<Item | undefined> {
  const item = await readItem(context, key);
  return item === undefined || isRemovedItem(item) ? undefined : item;
}

/** `ClusterStore.applyDaemonSet`: read, plan, write unless the record moved; then decide again. */
export async function applyDaemonSet(
  context: DynamoContext,
  daemonSet: DaemonSet,
  observedAt: string,
  keeps: readonly KeptOnApply[] = [],
): Promise<{ outcome: FactOutcome; generation: number }> {
  const key = toDaemonSetKey(daemonSet.namespace, daemonSet.name);
  const time = toFactTime(observedAt);
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt += 1) {
    const read = await readDaemonSetItems(context, key, true);
    const plan = planApplyDaemonSet(read?.record, daemonSet, time, keeps);
    if (await writeDaemonSet(context, key, read, plan)) return { outcome: plan.outcome, generation: plan.generation };
  }
  throw new VersionConflictError(key);
}

/** `ClusterStore.setRolloutSwitch`: read, plan, write unless the record moved; then decide again. */
export async function setRolloutSwitch(
  context: DynamoContext,
  key: DaemonSetKey,
  name: RolloutSwitch,
  on: boolean,
  observedAt: string,
): Promise<FactOutcome> {
  const time = toFactTime(observedAt);
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt += 1) {
    const read = await readDaemonSetItems(context, key, true);
    const plan = planRolloutSwitch(key, read?.record, name, on, time);
    if (await writeDaemonSet(context, key, read, plan)) return plan.outcome;
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
    const sets: (readonly [name: string, value: unknown])[] = [
      ...(plan.observedAt === undefined ? [] : [['observedAt', plan.observedAt] as const]),
      ...(plan.expiresAt === undefined ? [] : [[TTL, plan.expiresAt] as const]),
      ...(plan.switchedAt === undefined ? [] : [['switchedAt', JSON.stringify(plan.switchedAt)] as const]),
    ];
    return writeIfHolds(() =>
      context.client.send(
        new UpdateCommand({
          TableName,
          Key: daemonSetItemKey(key),
          UpdateExpression: `SET ${sets.map((_, index) => `#set${index} = :set${index}`).join(', ')}`,
          ConditionExpression: specUnchanged.ConditionExpression,
          ExpressionAttributeNames: {
            ...specUnchanged.ExpressionAttributeNames,
            ...Object.fromEntries(sets.map(([name], index) => [`#set${index}`, name])),
          },
          ExpressionAttributeValues: {
            ...specUnchanged.ExpressionAttributeValues,
            ...Object.fromEntries(sets.map(([, value], index) => [`:set${index}`, value])),
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
