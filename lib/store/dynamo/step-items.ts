import type { TransactWriteCommandInput, UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DaemonSet, DaemonSetKey } from '../../model/daemon-set.js';
import type { DaemonSetGuard } from '../plan-chunks.js';
import type { ItemWrite } from '../plan-step-writes.js';
import { toPodItem, toRevisionItem } from './codec.js';
import type { DynamoContext } from './dynamo-context.js';
import { daemonSetItemKey, daemonSetStateItemKey, PK, podItemKey, podStatusItemKey, revisionItemKey } from './keys.js';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const MUST_EXIST = `attribute_exists(${PK})`;
const MUST_NOT_EXIST = `attribute_not_exists(${PK})`;

/** One step item as a transaction item, with its condition (see `ItemWrite`). */
export function toTransactItem(context: DynamoContext, key: DaemonSetKey, write: ItemWrite): TransactItem {
  const TableName = context.tableName;
  switch (write.kind) {
    case 'createRevision':
      return { Put: { TableName, Item: toRevisionItem(key, write.revision), ConditionExpression: MUST_NOT_EXIST } };
    case 'renumberRevision':
      return {
        Update: {
          TableName,
          Key: revisionItemKey(key, write.name),
          UpdateExpression: 'SET #revision = :revision',
          ConditionExpression: MUST_EXIST,
          ExpressionAttributeNames: { '#revision': 'revision' },
          ExpressionAttributeValues: { ':revision': write.revision },
        },
      };
    case 'deleteRevision':
      return { Delete: { TableName, Key: revisionItemKey(key, write.name), ConditionExpression: MUST_EXIST } };
    case 'createPod':
      return { Put: { TableName, Item: toPodItem(key, write.pod), ConditionExpression: MUST_NOT_EXIST } };
    case 'markPodDeleted':
      return {
        Update: {
          TableName,
          Key: podItemKey(key, write.nodeName, write.podName),
          UpdateExpression: 'SET #deletionTimestamp = if_not_exists(#deletionTimestamp, :deletionTimestamp)',
          ConditionExpression: MUST_EXIST,
          ExpressionAttributeNames: { '#deletionTimestamp': 'deletionTimestamp' },
          ExpressionAttributeValues: { ':deletionTimestamp': write.deletionTimestamp },
        },
      };
    case 'removePod':
      return {
        Delete: { TableName, Key: podItemKey(key, write.nodeName, write.podName), ConditionExpression: MUST_EXIST },
      };
    case 'removePodStatus':
      return { Delete: { TableName, Key: podStatusItemKey(key, write.nodeName, write.podName) } };
  }
}

/** The DaemonSet's part of a chunk: a version-conditioned update of its state item. */
export function toGuardItem(context: DynamoContext, key: DaemonSetKey, guard: DaemonSetGuard): TransactItem {
  return { Update: toGuardUpdate(context, key, guard) };
}

/**
 * Moves the DaemonSet's version on if it is still the expected one, writing the step's status and memory
 * with it: an update of the small state item only (the spec item is written by `toSpecUpdate`).
 */
export function toGuardUpdate(
  context: DynamoContext,
  key: DaemonSetKey,
  guard: DaemonSetGuard,
): UpdateCommandInput & { UpdateExpression: string } {
  const { update } = guard;
  const sets: (readonly [name: string, value: unknown])[] = [['version', guard.nextVersion]];
  if (update !== undefined)
    sets.push(['status', JSON.stringify(update.status)], ['memory', JSON.stringify(update.memory)]);
  return {
    TableName: context.tableName,
    Key: daemonSetStateItemKey(key),
    UpdateExpression: `SET ${sets.map(([name]) => `#${name} = :${name}`).join(', ')}`,
    ConditionExpression: '#version = :expected',
    ExpressionAttributeNames: Object.fromEntries(sets.map(([name]) => [`#${name}`, name])),
    ExpressionAttributeValues: {
      ':expected': guard.expectedVersion,
      ...Object.fromEntries(sets.map(([name, value]) => [`:${name}`, value])),
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
