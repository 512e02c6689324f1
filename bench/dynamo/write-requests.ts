import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { WireItem } from './item-size.js';

export type Attributes = Record<string, AttributeValue>;

/** One item a write request touches, read from the request's wire-format body. */
export type Write =
  | Readonly<{ kind: 'put'; table: string; item: WireItem }>
  | Readonly<{
      kind: 'update';
      table: string;
      key: WireItem;
      expression: string;
      names: Record<string, string>;
      values: Attributes;
    }>
  | Readonly<{ kind: 'delete'; table: string; key: WireItem }>
  | Readonly<{ kind: 'check'; table: string; key: WireItem }>;

// The store only writes `SET #a = :a` and `SET #a = if_not_exists(#a, :a)` clauses, and `REMOVE #a, #b` last.
const SET_CLAUSE = /(#\w+)\s*=\s*(?:if_not_exists\(\s*#\w+\s*,\s*(:\w+)\s*\)|(:\w+))/g;
const REMOVE_CLAUSE = /\bREMOVE\s+(#\w+(?:\s*,\s*#\w+)*)\s*$/;

/** The item after an update's `SET` and `REMOVE` clauses, from the item before (or its key alone when it is new). */
export function applySet(item: Attributes, write: Extract<Write, { kind: 'update' }>): Attributes {
  const next = { ...item };
  for (const match of write.expression.matchAll(SET_CLAUSE)) {
    const [, nameToken = '', keepToken, valueToken] = match;
    const name = write.names[nameToken] ?? nameToken;
    const value = write.values[keepToken ?? valueToken ?? ''];
    if (value === undefined) continue;
    if (keepToken !== undefined && next[name] !== undefined) continue;
    next[name] = value;
  }
  const removed = REMOVE_CLAUSE.exec(write.expression)?.[1] ?? '';
  for (const token of removed.split(',').map((part) => part.trim())) {
    if (token !== '') delete next[write.names[token] ?? token];
  }
  return next;
}

/** A request body in the wire format. */
export type Body = Readonly<Record<string, unknown>>;

/** Every item a write request (PutItem, UpdateItem, DeleteItem, TransactWriteItems, BatchWriteItem) touches. */
export function toWrites(operation: string, body: Body): Write[] {
  switch (operation) {
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return [toWrite(operation, body)];
    case 'TransactWriteItems':
      return ((body['TransactItems'] ?? []) as Body[]).flatMap((entry) => {
        const [kind, request] = Object.entries(entry)[0] ?? [];
        if (kind === undefined || request === undefined) return [];
        const named = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheck' }[
          kind
        ];
        return named === undefined ? [] : [toWrite(named, request as Body)];
      });
    case 'BatchWriteItem':
      return Object.entries((body['RequestItems'] ?? {}) as Record<string, Body[]>).flatMap(([table, requests]) =>
        requests.map((request): Write => {
          const put = request['PutRequest'] as Body | undefined;
          if (put !== undefined) return { kind: 'put', table, item: put['Item'] as WireItem };
          return { kind: 'delete', table, key: (request['DeleteRequest'] as Body)['Key'] as WireItem };
        }),
      );
    default:
      return [];
  }
}

function toWrite(operation: string, request: Body): Write {
  const table = String(request['TableName']);
  const key = (request['Key'] ?? {}) as WireItem;
  switch (operation) {
    case 'PutItem':
      return { kind: 'put', table, item: request['Item'] as WireItem };
    case 'UpdateItem':
      return {
        kind: 'update',
        table,
        key,
        expression: String(request['UpdateExpression'] ?? ''),
        names: (request['ExpressionAttributeNames'] ?? {}) as Record<string, string>,
        values: (request['ExpressionAttributeValues'] ?? {}) as Attributes,
      };
    case 'DeleteItem':
      return { kind: 'delete', table, key };
    default:
      return { kind: 'check', table, key };
  }
}
