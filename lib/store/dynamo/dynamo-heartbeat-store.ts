import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { HeartbeatStore, LivenessVerdict, NodeHeartbeat } from '../../ports/heartbeat-store.js';
import { type Item, itemKey, NODE_PREFIX, NODE_SHARDS, nodeShardOf, PK, SK, str } from './table.js';

/** Heartbeats are spread over the same shards as nodes: `HEARTBEATS#<shard>` / `NODE#<name>`. */
const heartbeatPartition = (shard: number): string => `HEARTBEATS#${shard}`;
const heartbeatKey = (nodeName: string) =>
  itemKey(heartbeatPartition(nodeShardOf(nodeName)), `${NODE_PREFIX}${nodeName}`);

/**
 * Node heartbeats in the one table, an item of about 60 bytes per node: a renew is one conditional
 * UpdateItem (1 write unit; an older or repeated renew fails the condition and is dropped), the liveness check
 * reads all of them with one eventually consistent query per shard (10,000 nodes: about 600 KB, 75 read units).
 */
export class DynamoHeartbeatStore implements HeartbeatStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
  }

  async renew(nodeName: string, renewTime: string): Promise<void> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: heartbeatKey(nodeName),
          UpdateExpression: 'SET renewTime = :time, renewAt = :at',
          ConditionExpression: 'attribute_not_exists(renewAt) OR renewAt < :at',
          ExpressionAttributeValues: { ':time': renewTime, ':at': Date.parse(renewTime) },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return;
      throw error;
    }
  }

  async list(): Promise<readonly NodeHeartbeat[]> {
    const shards = await Promise.all(Array.from({ length: NODE_SHARDS }, (_, shard) => this.#shard(shard)));
    return shards.flat().map((item) => {
      const since = item['unreachableSince'];
      return {
        nodeName: str(item, SK).slice(NODE_PREFIX.length),
        renewTime: str(item, 'renewTime'),
        ...(typeof since === 'string' ? { unreachableSince: since } : {}),
      };
    });
  }

  /** One shard's heartbeats, every page (eventually consistent: a heartbeat a second late changes nothing). */
  async #shard(shard: number): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.#client.send(
        new QueryCommand({
          TableName: this.#tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': PK },
          ExpressionAttributeValues: { ':pk': heartbeatPartition(shard) },
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      );
      items.push(...((page.Items ?? []) as Item[]));
      startKey = page.LastEvaluatedKey as Item | undefined;
    } while (startKey !== undefined);
    return items;
  }

  async claimVerdict(nodeName: string, verdict: LivenessVerdict, cutoff: number, at: string): Promise<boolean> {
    return this.#updateIfHolds(
      nodeName,
      verdict === 'unreachable'
        ? {
            UpdateExpression: 'SET unreachableSince = :at',
            ConditionExpression: 'renewAt < :cutoff AND attribute_not_exists(unreachableSince)',
            ExpressionAttributeValues: { ':at': at, ':cutoff': cutoff },
          }
        : {
            UpdateExpression: 'REMOVE unreachableSince',
            ConditionExpression: 'renewAt >= :cutoff AND attribute_exists(unreachableSince)',
            ExpressionAttributeValues: { ':cutoff': cutoff },
          },
    );
  }

  async releaseVerdict(nodeName: string, verdict: LivenessVerdict, at: string): Promise<void> {
    await this.#updateIfHolds(
      nodeName,
      verdict === 'unreachable'
        ? {
            UpdateExpression: 'REMOVE unreachableSince',
            ConditionExpression: 'unreachableSince = :at',
            ExpressionAttributeValues: { ':at': at },
          }
        : {
            UpdateExpression: 'SET unreachableSince = :at',
            ConditionExpression: 'attribute_exists(renewAt) AND attribute_not_exists(unreachableSince)',
            ExpressionAttributeValues: { ':at': at },
          },
    );
  }

  /** One conditional update of a node's heartbeat item; whether the condition held (a missing item fails it). */
  async #updateIfHolds(
    nodeName: string,
    update: Readonly<{
      UpdateExpression: string;
      ConditionExpression: string;
      ExpressionAttributeValues: Record<string, string | number>;
    }>,
  ): Promise<boolean> {
    try {
      await this.#client.send(
        new UpdateCommand({ TableName: this.#tableName, Key: heartbeatKey(nodeName), ...update }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async remove(nodeName: string): Promise<void> {
    await this.#client.send(new DeleteCommand({ TableName: this.#tableName, Key: heartbeatKey(nodeName) }));
  }
}
