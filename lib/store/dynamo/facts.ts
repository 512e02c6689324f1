import { DeleteCommand, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { toDaemonSetKey } from '../../model/daemon-set.js';
import type { Node } from '../../model/node.js';
import type { PodStatusReport } from '../../model/pod.js';
import type { Rejection } from '../../model/status.js';
import type { FactOutcome } from '../../ports/cluster-store.js';
import { expiresAfter, toFactTime } from '../fact-time.js';
import { planNodeFact, toNodeRecord } from '../plan-fact.js';
import { planPodStatus } from '../plan-pod-status.js';
import { MAX_WRITE_ATTEMPTS } from '../store-options.js';
import {
  fromNodeItem,
  fromPodItem,
  fromPodStatusItem,
  type Item,
  toNodeItem,
  toPodStatusItem,
  toRejectionItem,
} from './codec.js';
import { writeIfHolds } from './conditions.js';
import type { DynamoContext } from './dynamo-context.js';
import { type ItemKey, nodeItemKey, PK, podItemKey, podStatusItemKey } from './keys.js';

/** Facts are written only over nothing or over an older fact. */
const NEWER_FACT = {
  ConditionExpression: `attribute_not_exists(${PK}) OR #observedAt < :observedAt`,
  ExpressionAttributeNames: { '#observedAt': 'observedAt' },
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
          Item: toNodeItem(name, record, context.settings.now()),
          ...NEWER_FACT,
          ExpressionAttributeValues: { ':observedAt': time },
          ReturnValues: 'ALL_OLD',
        }),
      );
      previous = result.Attributes;
    });
    const stored = written ? previous : await read(context, nodeItemKey(name));
    const decision = planNodeFact(stored && fromNodeItem(stored), node, time);
    if (written || !decision.write) return decision.outcome;
  }
  throw new Error(`node ${name}: the stored fact kept changing while writing a newer one`);
}

/**
 * Stores an agent's pod status report beside the desired pod (never over it). A `gone` report for a
 * terminating pod deletes the desired pod in the same transaction that stores the `gone` marker.
 */
export async function putPodStatus(context: DynamoContext, report: PodStatusReport): Promise<FactOutcome> {
  const key = toDaemonSetKey(report.namespace, report.daemonSet);
  const normalised = { ...report, observedAt: toFactTime(report.observedAt) };
  const desiredKey = podItemKey(key, report.nodeName, report.podName);
  const statusKey = podStatusItemKey(key, report.nodeName, report.podName);
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt += 1) {
    const [desired, stored] = await Promise.all([read(context, desiredKey), read(context, statusKey)]);
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
            Item: toPodStatusItem(key, report.podName, plan.status),
            ...NEWER_FACT,
            ExpressionAttributeValues: { ':observedAt': normalised.observedAt },
          };
    const remove = {
      TableName: context.tableName,
      Key: desiredKey,
      ConditionExpression: 'attribute_exists(#deletionTimestamp)',
      ExpressionAttributeNames: { '#deletionTimestamp': 'deletionTimestamp' },
    };
    if (put === undefined && !plan.removeDesired) return plan.outcome;
    const write =
      put === undefined
        ? () => context.client.send(new DeleteCommand(remove))
        : plan.removeDesired
          ? () => context.client.send(new TransactWriteCommand({ TransactItems: [{ Put: put }, { Delete: remove }] }))
          : () => context.client.send(new PutCommand(put));
    if (await writeIfHolds(write)) return plan.outcome;
  }
  throw new Error(`pod ${key}/${report.podName}: its records kept changing while storing a status report`);
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

async function read(context: DynamoContext, key: ItemKey): Promise<Item | undefined> {
  const { Item } = await context.client.send(
    new GetCommand({ TableName: context.tableName, Key: key, ConsistentRead: true }),
  );
  return Item;
}
