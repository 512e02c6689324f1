import type { AttributeValue, ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { BY_KIND_INDEX, BY_NODE_INDEX, TABLE_KEYS } from '../../lib/store/dynamo/table.js';
import type { WireItem } from './item-size.js';
import { partitionOf } from './write-cost-model.js';
import type { Body } from './write-requests.js';

const INDEX_PARTITION_KEYS: ReadonlyMap<string, string> = new Map(
  [BY_NODE_INDEX, BY_KIND_INDEX].map((index) => [index.name, index.partitionKey]),
);

/**
 * The read units one request consumed, by the partition key(s) it read: a Query's key-condition value
 * (`<index name>:<value>` on an index), a GetItem's key; a BatchGetItem's units per table split evenly over
 * the keys it asked for, a TransactGetItems' units over its items. A Scan reads every partition and is
 * counted under `(scan <table or index>)`. DynamoDB reports capacity per table and index, never per key.
 */
export function readPartitions(operation: string, body: Body, consumed: unknown): Map<string, number> {
  const entries = (Array.isArray(consumed) ? consumed : consumed === undefined ? [] : [consumed]) as ConsumedCapacity[];
  const unitsOf = (entry: ConsumedCapacity) => entry.CapacityUnits ?? entry.ReadCapacityUnits ?? 0;
  const total = entries.reduce((sum, entry) => sum + unitsOf(entry), 0);
  const byPartition = new Map<string, number>();
  const add = (partition: string, units: number) => {
    if (units > 0) byPartition.set(partition, (byPartition.get(partition) ?? 0) + units);
  };
  switch (operation) {
    case 'GetItem':
      add(partitionOf((body['Key'] ?? {}) as WireItem), total);
      break;
    case 'Query':
      add(queryPartition(body), total);
      break;
    case 'Scan':
      add(`(scan ${String(body['IndexName'] ?? body['TableName'])})`, total);
      break;
    case 'BatchGetItem':
      for (const [table, request] of Object.entries((body['RequestItems'] ?? {}) as Record<string, Body>)) {
        const keys = (request['Keys'] ?? []) as WireItem[];
        const units = entries.filter((entry) => entry.TableName === table).reduce((sum, e) => sum + unitsOf(e), 0);
        for (const key of keys) add(partitionOf(key), units / keys.length);
      }
      break;
    case 'TransactGetItems': {
      const items = ((body['TransactItems'] ?? []) as Body[]).map(
        (entry) => ((entry['Get'] as Body | undefined)?.['Key'] ?? {}) as WireItem,
      );
      for (const key of items) add(partitionOf(key), total / items.length);
      break;
    }
    default:
      add(`(${operation})`, total);
  }
  return byPartition;
}

/**
 * The partition a Query reads: the value its key condition gives the table's (or index's) partition key.
 * For an index this file does not know, the first equality in the condition (DynamoDB requires one on the
 * partition key).
 */
export function queryPartition(body: Body): string {
  const index = body['IndexName'] as string | undefined;
  const keyName = index === undefined ? TABLE_KEYS.partitionKey : INDEX_PARTITION_KEYS.get(index);
  const names = (body['ExpressionAttributeNames'] ?? {}) as Record<string, string>;
  const values = (body['ExpressionAttributeValues'] ?? {}) as Record<string, AttributeValue>;
  const equalities = String(body['KeyConditionExpression'] ?? '')
    .split(/\s+AND\s+/i)
    .flatMap((clause) => {
      const match = /^\(?\s*([#\w.]+)\s*=\s*(:\w+)\s*\)?$/.exec(clause.trim());
      return match === null ? [] : [{ name: names[match[1] ?? ''] ?? match[1], token: match[2] ?? '' }];
    });
  const condition = equalities.find((equality) => equality.name === keyName) ?? equalities[0];
  const value = condition === undefined ? undefined : values[condition.token];
  const text = value?.S ?? value?.N ?? (value === undefined ? '?' : JSON.stringify(value));
  return index === undefined ? text : `${index}:${text}`;
}
