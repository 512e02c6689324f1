import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DaemonSetKey } from '../../model/daemon-set.js';
import { expiresAfter } from '../plan/plan-fact.js';
import type { ItemWrite } from '../plan/plan-step-writes.js';
import {
  type DynamoContext,
  type Item,
  type ItemKey,
  type LoggedStamp,
  newWriteStamp,
  PK,
  podItemKey,
  podStatusItemKey,
  REMOVED_AT,
  revisionItemKey,
  SEQ,
  stampAttributes,
  toPodItem,
  toRemovedItem,
  toRevisionItem,
  WRITE_ID,
} from './table.js';

// One step item as a write with its condition: what a chunk's transaction and a claimed step send.

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The item is there and not a removal marker. */
const MUST_EXIST = `attribute_exists(${PK}) AND attribute_not_exists(${REMOVED_AT})`;
/** Nothing is there, or a removal marker (a pod or revision of the same name may come back). */
const MUST_NOT_EXIST = `attribute_not_exists(${PK}) OR attribute_exists(${REMOVED_AT})`;

/**
 * One step item as a transaction item, with its condition (see `ItemWrite`). Every item is stamped for the
 * bySeq index, and removals leave a removal marker instead of deleting, so warm readers see every change.
 */
export function toTransactItem(
  context: DynamoContext,
  key: DaemonSetKey,
  write: ItemWrite,
  logged?: LoggedStamp,
): TransactItem {
  const TableName = context.tableName;
  const stamp = logged ?? newWriteStamp(context);
  const stamped = (Item: Item): Item => ({ ...Item, ...stampAttributes(stamp) });
  const removal = (Key: ItemKey): Item => {
    const now = new Date(context.settings.now()).toISOString();
    return toRemovedItem(Key, stamp, now, expiresAfter(now, context.settings.tombstoneSeconds));
  };
  // A logged item leaves `bySeq` (its `seq` goes, if an earlier write stamped it): its log is what readers find.
  const seq = 'seq' in stamp ? { set: '#seq = :seq', values: { ':seq': stamp.seq } } : { set: '', values: {} };
  const update = (Key: ItemKey, sets: Readonly<Record<string, string>>, values: Readonly<Record<string, unknown>>) => ({
    Update: {
      TableName,
      Key,
      UpdateExpression: [
        `SET ${[...Object.entries(sets).map(([name, value]) => `#${name} = ${value}`), ...(seq.set === '' ? [] : [seq.set]), '#writeId = :writeId'].join(', ')}`,
        ...(seq.set === '' ? ['REMOVE #seq'] : []),
      ].join(' '),
      ConditionExpression: MUST_EXIST,
      ExpressionAttributeNames: {
        ...Object.fromEntries(Object.keys(sets).map((name) => [`#${name}`, name])),
        '#seq': SEQ,
        '#writeId': WRITE_ID,
      },
      ExpressionAttributeValues: { ...values, ...seq.values, ':writeId': stamp.writeId },
    },
  });
  switch (write.kind) {
    case 'createRevision':
      return {
        Put: { TableName, Item: stamped(toRevisionItem(key, write.revision)), ConditionExpression: MUST_NOT_EXIST },
      };
    case 'renumberRevision':
      return update(revisionItemKey(key, write.name), { revision: ':revision' }, { ':revision': write.revision });
    case 'deleteRevision':
      return {
        Put: { TableName, Item: removal(revisionItemKey(key, write.name)), ConditionExpression: MUST_EXIST },
      };
    case 'createPod':
      return { Put: { TableName, Item: stamped(toPodItem(key, write.pod)), ConditionExpression: MUST_NOT_EXIST } };
    case 'markPodDeleted':
      return update(
        podItemKey(key, write.nodeName, write.podName),
        { deletionTimestamp: 'if_not_exists(#deletionTimestamp, :deletionTimestamp)' },
        { ':deletionTimestamp': write.deletionTimestamp },
      );
    case 'removePod':
      return {
        Put: {
          TableName,
          Item: removal(podItemKey(key, write.nodeName, write.podName)),
          ConditionExpression: MUST_EXIST,
        },
      };
    case 'removePodStatus':
      return { Put: { TableName, Item: removal(podStatusItemKey(key, write.nodeName, write.podName)) } };
  }
}
