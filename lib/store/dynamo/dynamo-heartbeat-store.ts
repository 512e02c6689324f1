import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type AgentPresence, PRESENCE_CLOCK_WINDOW_MS } from '../../model/agent-presence.js';
import type { HeartbeatPresence, HeartbeatStore, LivenessVerdict, NodeHeartbeat } from '../../ports/heartbeat-store.js';
import { type Item, itemKey, NODE_PREFIX, NODE_SHARDS, nodeShardOf, num, PK, SK, str } from './table.js';

/** Heartbeats are spread over the same shards as nodes: `HEARTBEATS#<shard>` / `NODE#<name>`. */
const heartbeatPartition = (shard: number): string => `HEARTBEATS#${shard}`;
const heartbeatKey = (nodeName: string) =>
  itemKey(heartbeatPartition(nodeShardOf(nodeName)), `${NODE_PREFIX}${nodeName}`);

/**
 * Node heartbeats in the one table, an item of about 60 bytes per node (about 150 with an MQTT agent's presence):
 * a renew is one conditional UpdateItem (1 write unit; an older or repeated renew fails the condition and is
 * dropped), a presence event two (the renew, then the presence under `supersedesPresence`'s order, written as a
 * condition), and the liveness check reads all of them with one eventually consistent query per shard (10,000
 * nodes: about 600 KB, 75 read units; 1.5 MB, 190 read units if every agent is on MQTT).
 *
 * Presence attributes: `connected` (boolean), `presenceAt` (epoch ms of the event), `presenceVersion` (its
 * `versionNumber`), `disconnectReason` (disconnects only).
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

  async recordPresence(presence: AgentPresence): Promise<boolean> {
    // The renew first: an item that shows a disconnect always has the disconnect's time as its latest renew, so a
    // check never judges a disconnect by an older heartbeat (a failure in between leaves the agent connected,
    // and the redelivered event writes the rest).
    await this.renew(presence.nodeName, presence.time);
    const at = Date.parse(presence.time);
    const reason = presence.disconnectReason;
    // supersedesPresence as a condition: no presence yet; or clearly later in time; or within the timestamps'
    // accuracy, a higher version, or (disconnects only) the same connection's disconnect after its connect.
    const sameConnection = presence.connected ? '' : ' OR (presenceVersion = :version AND #connected = :true)';
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: heartbeatKey(presence.nodeName),
          UpdateExpression:
            'SET #connected = :connected, presenceAt = :at, presenceVersion = :version' +
            (reason === undefined ? ' REMOVE disconnectReason' : ', disconnectReason = :reason'),
          ConditionExpression:
            'attribute_exists(renewAt) AND (attribute_not_exists(presenceAt) OR presenceAt < :after OR ' +
            `(presenceAt <= :before AND (presenceVersion < :version${sameConnection})))`,
          ExpressionAttributeNames: { '#connected': 'connected' },
          ExpressionAttributeValues: {
            ':connected': presence.connected,
            ':at': at,
            ':version': presence.versionNumber,
            ':after': at - PRESENCE_CLOCK_WINDOW_MS,
            ':before': at + PRESENCE_CLOCK_WINDOW_MS,
            ...(presence.connected ? {} : { ':true': true }),
            ...(reason === undefined ? {} : { ':reason': reason }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async list(): Promise<readonly NodeHeartbeat[]> {
    const shards = await Promise.all(Array.from({ length: NODE_SHARDS }, (_, shard) => this.#shard(shard)));
    return shards.flat().map((item) => {
      const since = item['unreachableSince'];
      const presence = toPresence(item);
      return {
        nodeName: str(item, SK).slice(NODE_PREFIX.length),
        renewTime: str(item, 'renewTime'),
        ...(typeof since === 'string' ? { unreachableSince: since } : {}),
        ...(presence === undefined ? {} : { presence }),
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
            ConditionExpression:
              'renewAt < :cutoff AND attribute_not_exists(unreachableSince) AND ' +
              '(attribute_not_exists(#connected) OR #connected = :false)',
            ExpressionAttributeNames: { '#connected': 'connected' },
            ExpressionAttributeValues: { ':at': at, ':cutoff': cutoff, ':false': false },
          }
        : {
            UpdateExpression: 'REMOVE unreachableSince',
            ConditionExpression: '(renewAt >= :cutoff OR #connected = :true) AND attribute_exists(unreachableSince)',
            ExpressionAttributeNames: { '#connected': 'connected' },
            ExpressionAttributeValues: { ':cutoff': cutoff, ':true': true },
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
      ExpressionAttributeNames?: Record<string, string>;
      ExpressionAttributeValues: Record<string, string | number | boolean>;
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

/** The presence attributes of a heartbeat item, if its agent ever connected over MQTT. */
function toPresence(item: Item): HeartbeatPresence | undefined {
  const connected = item['connected'];
  if (typeof connected !== 'boolean') return undefined;
  const reason = item['disconnectReason'];
  return {
    connected,
    since: new Date(num(item, 'presenceAt')).toISOString(),
    versionNumber: num(item, 'presenceVersion'),
    ...(typeof reason === 'string' ? { disconnectReason: reason } : {}),
  };
}
