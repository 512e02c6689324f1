import { BatchGetCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { type DynamoContext, type Item, type ItemKey, PK, SK } from './table.js';

// Strongly consistent single-item reads, gathered: the records of one Lambda batch are handled side by side
// (ten pod status reports each read their desired pod and their status), so the reads they ask for in the same
// turn of the event loop go out as one BatchGetItem instead of one GetItem each. Fewer requests, the same read
// units and the same consistency: every read still sees every write acknowledged before it was asked for.

/** BatchGetItem's limit. */
const BATCH_GET_KEYS = 100;
/** How many BatchGetItem requests one read keeps in flight (1,000 keys: 10 requests, 3 round trips). */
const BATCH_GETS_AT_ONCE = 4;

type Waiting = { key: ItemKey; resolve: (item: Item | undefined) => void; reject: (error: unknown) => void };

const pending = new WeakMap<DynamoContext, Waiting[]>();

/** The item as stored now (strongly consistent), or undefined; gathered with the reads asked in the same turn. */
export function readItem(context: DynamoContext, key: ItemKey): Promise<Item | undefined> {
  return new Promise((resolve, reject) => {
    const waiting = pending.get(context);
    if (waiting !== undefined) {
      waiting.push({ key, resolve, reject });
      return;
    }
    pending.set(context, [{ key, resolve, reject }]);
    setImmediate(() => {
      const gathered = pending.get(context) ?? [];
      pending.delete(context);
      void flush(context, gathered);
    });
  });
}

async function flush(context: DynamoContext, waiting: readonly Waiting[]): Promise<void> {
  const unique = new Map<string, ItemKey>();
  for (const { key } of waiting) unique.set(idOf(key), key);
  try {
    const found = new Map((await getItems(context, [...unique.values()])).map((item) => [idOf(item), item]));
    for (const { key, resolve } of waiting) resolve(found.get(idOf(key)));
  } catch (error) {
    for (const { reject } of waiting) reject(error);
  }
}

/**
 * The items, strongly consistent; an item that does not exist is left out. One key is a GetItem; more go in
 * BatchGetItems of 100, `BATCH_GETS_AT_ONCE` in flight, unprocessed keys sent again with backoff.
 */
export async function getItems(context: DynamoContext, keys: readonly ItemKey[]): Promise<readonly Item[]> {
  const [only] = keys;
  if (keys.length === 1 && only !== undefined) {
    const { Item } = await context.client.send(
      new GetCommand({ TableName: context.tableName, Key: only, ConsistentRead: true }),
    );
    return Item === undefined ? [] : [Item];
  }
  const batches: ItemKey[][] = [];
  for (let start = 0; start < keys.length; start += BATCH_GET_KEYS)
    batches.push(keys.slice(start, start + BATCH_GET_KEYS));
  const found: Item[] = [];
  for (let start = 0; start < batches.length; start += BATCH_GETS_AT_ONCE) {
    const parts = await Promise.all(
      batches.slice(start, start + BATCH_GETS_AT_ONCE).map((batch) => getBatch(context, batch)),
    );
    found.push(...parts.flat());
  }
  return found;
}

async function getBatch(context: DynamoContext, keys: readonly ItemKey[]): Promise<readonly Item[]> {
  const found: Item[] = [];
  let batch: Item[] = [...keys];
  for (let attempt = 0; batch.length > 0; attempt += 1) {
    if (attempt > 8) throw new Error(`${batch.length} item reads stayed unprocessed`);
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
    const result = await context.client.send(
      new BatchGetCommand({ RequestItems: { [context.tableName]: { Keys: batch, ConsistentRead: true } } }),
    );
    found.push(...(result.Responses?.[context.tableName] ?? []));
    batch = result.UnprocessedKeys?.[context.tableName]?.Keys ?? [];
  }
  return found;
}

const idOf = (key: ItemKey | Item): string => `${String(key[PK])}\u0000${String(key[SK])}`;
