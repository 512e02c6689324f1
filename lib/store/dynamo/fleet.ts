import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import type { Node } from '../../model/node.js';
import { compareStrings } from '../../model/order.js';
import type { NodeRecord } from '../plan/stored-records.js';
import {
  BY_SEQ_INDEX,
  type DynamoContext,
  fromNodeItem,
  type Item,
  NODE_PREFIX,
  NODE_SEQ,
  NODE_SHARDS,
  nodeItemKey,
  nodeShardPartition,
  PK,
  queryAll,
  SK,
  sortKeyOf,
  str,
} from './table.js';

/**
 * How late a node write may land after the time it carries (`nodeSeq`, the writer's clock when it sent the
 * write): a Lambda invocation (at most 15 minutes), the SDK's retries and clock skew all fit inside. Every
 * incremental read looks back this far, so a write that lands late is still seen (docs/decisions/0005).
 */
export const NODE_WRITE_LAG_MS = 20 * 60_000;
/** A cache older than this is read again in full, long before a tombstone it relies on can expire (1 day). */
export const FLEET_CACHE_MAX_AGE_MS = 30 * 60_000;
/** BatchGetItem's limit. */
const BATCH_GET_KEYS = 100;

type Known = Readonly<{ name: string; record: NodeRecord }>;

/**
 * The fleet as one warm store instance knows it, kept fresh with strongly consistent reads: the first read
 * queries every node shard; later reads ask each shard's `bySeq` index (strongly consistent: it is a local
 * index) for the nodes written since the last read, minus `NODE_WRITE_LAG_MS`, and fetch only those whose
 * fact time changed. A pass over an unchanged fleet costs one small query per shard; a change of k nodes, O(k)
 * reads; never the whole fleet. What it returns equals a full strongly consistent read taken when the call
 * began (the contract suite checks it against one).
 */
export class FleetCache {
  readonly #context: DynamoContext;
  #nodes = new Map<string, NodeRecord>();
  /** The writer time every write not yet seen carries at least, minus the lag; undefined before the first read. */
  #since: number | undefined;
  #loadedAt = 0;

  constructor(context: DynamoContext) {
    this.#context = context;
  }

  /** Every live node, by name, as of a strongly consistent read. */
  async nodes(): Promise<readonly Node[]> {
    const now = this.#context.settings.now();
    if (this.#since === undefined || now - this.#loadedAt > FLEET_CACHE_MAX_AGE_MS) {
      this.#nodes = new Map((await readNodeShards(this.#context, true)).map(({ name, record }) => [name, record]));
      this.#loadedAt = now;
    } else {
      await this.#refresh(this.#since);
    }
    this.#since = now - NODE_WRITE_LAG_MS;
    return [...this.#nodes.values()]
      .flatMap((record) => record.node ?? [])
      .sort((a, b) => compareStrings(a.name, b.name));
  }

  async #refresh(since: number): Promise<void> {
    const entries = (
      await Promise.all(
        Array.from({ length: NODE_SHARDS }, (_, shard) =>
          queryAll(this.#context, {
            IndexName: BY_SEQ_INDEX.name,
            KeyConditionExpression: '#pk = :pk AND #seq > :since',
            ExpressionAttributeNames: { '#pk': PK, '#seq': NODE_SEQ },
            ExpressionAttributeValues: { ':pk': nodeShardPartition(shard), ':since': since },
            ConsistentRead: true,
          }),
        ),
      )
    ).flat();
    const changed = entries
      .map((item) => ({ name: sortKeyOf(item).slice(NODE_PREFIX.length), observedAt: str(item, 'observedAt') }))
      .filter(({ name, observedAt }) => this.#nodes.get(name)?.observedAt !== observedAt)
      .map(({ name }) => name);
    for (const { name, record } of await getNodes(this.#context, changed)) this.#nodes.set(name, record);
  }
}

/** Every node record of every shard, tombstones included, read side by side. */
export async function readNodeShards(context: DynamoContext, consistent: boolean): Promise<readonly Known[]> {
  const shards = await Promise.all(
    Array.from({ length: NODE_SHARDS }, (_, shard) =>
      queryAll(context, {
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
        ExpressionAttributeValues: { ':pk': nodeShardPartition(shard), ':prefix': NODE_PREFIX },
        ConsistentRead: consistent,
      }),
    ),
  );
  return shards.flat().map(toKnown);
}

/** The named nodes' records, strongly consistent, in batches of 100; a node with no item is left out. */
async function getNodes(context: DynamoContext, names: readonly string[]): Promise<readonly Known[]> {
  const found: Known[] = [];
  for (let start = 0; start < names.length; start += BATCH_GET_KEYS) {
    let keys: Item[] = names.slice(start, start + BATCH_GET_KEYS).map((name) => nodeItemKey(name));
    for (let attempt = 0; keys.length > 0; attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
      const result = await context.client.send(
        new BatchGetCommand({ RequestItems: { [context.tableName]: { Keys: keys, ConsistentRead: true } } }),
      );
      found.push(...(result.Responses?.[context.tableName] ?? []).map(toKnown));
      keys = result.UnprocessedKeys?.[context.tableName]?.Keys ?? [];
      if (attempt >= 8 && keys.length > 0) throw new Error(`${keys.length} node reads stayed unprocessed`);
    }
  }
  return found;
}

const toKnown = (item: Item): Known => ({
  name: sortKeyOf(item).slice(NODE_PREFIX.length),
  record: fromNodeItem(item),
});
