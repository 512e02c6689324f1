import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type Projection,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  type NativeAttributeValue,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { ControllerRevision, DaemonSetKey } from '../../model/daemon-set.js';
import type { PodPhase } from '../../model/pod.js';
import type { DaemonSetEvent, NodeEvent, Rejection } from '../../model/status.js';
import { fnv1a32 } from '../../revision/compute-revision-hash.js';
import type { StoreSettings } from '../plan/store-options.js';
import type {
  DaemonSetRecord,
  DesiredPod,
  EventRecord,
  LiveDaemonSet,
  NodeRecord,
  PodStatusRecord,
} from '../plan/stored-records.js';
import type { InFlightWrites } from './in-flight-writes.js';

// The one table, as the adapter, DynamoDB Local and the CDK stack all see it: the key schema and indexes, the
// item keys, the context every adapter function takes, `queryAll`, the item codec (records ⇄ items), and
// `createTable`. The item layout is documented in docs/store-design.md.

/**
 * The one DynamoDB table's key schema, shared by the store adapter, DynamoDB Local setup and the CDK stack
 * so all three always agree. The item layout is documented in docs/store-design.md.
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Time-to-live attribute (epoch seconds) for tombstones, events and rejections. */
  timeToLive: 'expiresAt',
} as const;

/** What a global secondary index copies of an item besides the keys: everything, or the listed attributes. */
export type IndexProjection = Readonly<{ type: 'ALL' } | { type: 'INCLUDE'; nonKeyAttributes: readonly string[] }>;

/** A global secondary index: its name, key attributes and projection. */
export type IndexDefinition = Readonly<{
  name: string;
  partitionKey: string;
  sortKey: string;
  projection: IndexProjection;
}>;

/** Pods by node: a node agent reads its desired pods (and their statuses) with one query, so it projects all. */
export const BY_NODE_INDEX = {
  name: 'byNode',
  partitionKey: 'gsi1pk',
  sortKey: 'gsi1sk',
  projection: { type: 'ALL' },
} as const satisfies IndexDefinition;

/**
 * Items by kind (every DaemonSet, every rejection): listings and the periodic resync. Projects only the
 * rejection body: DaemonSet entries are keys alone (the listing reads the records from the table), so a
 * spec write costs no index write unless the DaemonSet is created or removed.
 */
export const BY_KIND_INDEX = {
  name: 'byKind',
  partitionKey: 'gsi2pk',
  sortKey: 'gsi2sk',
  projection: { type: 'INCLUDE', nonKeyAttributes: ['rejection'] },
} as const satisfies IndexDefinition;

/**
 * Items by write time inside their partition (a local index, so it reads strongly consistently): node items
 * in each node shard, and the revisions, pods, statuses and their removal markers in each DaemonSet's
 * partition, or, for the items of a step chunk of many items, the chunk's one step log (`step-log.ts`). A warm
 * store finds what was written since it last looked with one small query per partition instead of reading it
 * all (`caches.ts`). Projects the write's id, so an item already known as of that write is not read again. The
 * DaemonSet's own two items carry no `seq`: they are read every time.
 */
export const BY_SEQ_INDEX = {
  name: 'bySeq',
  sortKey: 'seq',
  projection: { type: 'INCLUDE', nonKeyAttributes: ['writeId'] },
} as const;

/** Attribute names of the table's and indexes' keys, for items and expressions. */
export const PK = TABLE_KEYS.partitionKey;
export const SK = TABLE_KEYS.sortKey;
export const TTL = TABLE_KEYS.timeToLive;
export const NODE_INDEX_PK = BY_NODE_INDEX.partitionKey;
export const NODE_INDEX_SK = BY_NODE_INDEX.sortKey;
export const KIND_INDEX_PK = BY_KIND_INDEX.partitionKey;
export const KIND_INDEX_SK = BY_KIND_INDEX.sortKey;
export const SEQ = BY_SEQ_INDEX.sortKey;
export const WRITE_ID = 'writeId';
/** Marks an item of a DaemonSet partition as removed (a tombstone that keeps its key, `seq` and TTL). */
export const REMOVED_AT = 'removedAt';

/** A table item's primary key. */
export type ItemKey = Readonly<Record<typeof PK | typeof SK, string>>;

export const itemKey = (pk: string, sk: string): ItemKey => ({ [PK]: pk, [SK]: sk }) as ItemKey;

/** One partition per DaemonSet: its record, revisions, desired pods and reported pod statuses. */
export const daemonSetPartition = (key: DaemonSetKey): string => `DS#${key}`;
/** The DaemonSet's spec item (also its tombstone): written only by spec changes. */
export const DAEMON_SET_SK = 'DAEMONSET';
/** The DaemonSet's small, hot state item: version, status, memory. Written by every reconcile step. */
export const DAEMON_SET_STATE_SK = 'DAEMONSET#STATE';
/** Both DaemonSet items, so one strongly consistent query reads the whole record. */
export const DAEMON_SET_PREFIX = 'DAEMONSET';
export const REVISION_PREFIX = 'REVISION#';
/**
 * Desired pods and reported statuses sort by node: `POD#<node>#<pod>` and `POD#<node>#<pod>#STATUS`, so one
 * strongly consistent query reads a DaemonSet's pods (and their statuses) on one node (the node path), and
 * `begins_with(sk, 'POD#')` all of them. Node and pod names never hold `#` (DNS names).
 */
export const PODS_AND_STATUSES_PREFIX = 'POD#';
export const POD_STATUS_SUFFIX = '#STATUS';

/**
 * Nodes are spread over `NODE_SHARDS` partitions by a hash of their name, so no single partition key takes
 * every node write and read (a 1,000-node join burst writes each shard about 1/8 of the time; see
 * docs/store-design.md for the per-partition arithmetic).
 */
export const NODE_SHARDS = 8;
export const nodeShardPartition = (shard: number): string => `NODES#${shard}`;
export const nodeShardOf = (name: string): number => fnv1a32(new TextEncoder().encode(name)) % NODE_SHARDS;
export const NODE_PREFIX = 'NODE#';

/** Events in their own partition per DaemonSet, so snapshots never read them. */
export const eventsPartition = (key: DaemonSetKey): string => `EVENTS#${key}`;

/**
 * Events about nodes, in one partition sorted by node then time: one query lists a node's or every node's.
 * They are rare (a gate opening or passing its deadline, about two per node lifetime) and expire by TTL.
 */
export const NODE_EVENTS_PARTITION = 'NODE_EVENTS';
export const nodeEventSortKey = (event: Readonly<{ node: string; time: string; reason: string }>): string =>
  `${event.node}#${event.time}#${event.reason}`;

export const rejectionPartition = (id: string): string => `REJECTION#${id}`;
export const REJECTION_SK = 'REJECTION';

/**
 * The state item's pending-reconcile marker: epoch ms of the ingest, or of the node-path step, that set it and
 * enqueued the reconcile (docs/decisions/0004-coalesced-reconcile.md).
 */
export const PENDING_SINCE = 'pendingSince';

/** byNode index: the desired pods (and reported statuses) on one node, across DaemonSets. */
export const nodeIndexPartition = (nodeName: string): string => `NODE#${nodeName}`;
export const podIndexSort = (key: DaemonSetKey, podName: string): string => `POD#${key}/${podName}`;
export const statusIndexSort = (key: DaemonSetKey, podName: string): string => `STATUS#${key}/${podName}`;

/** byKind index partitions. */
export const DAEMON_SET_KIND = 'KIND#DaemonSet';
export const REJECTION_KIND = 'KIND#Rejection';

export const daemonSetItemKey = (key: DaemonSetKey): ItemKey => itemKey(daemonSetPartition(key), DAEMON_SET_SK);
export const daemonSetStateItemKey = (key: DaemonSetKey): ItemKey =>
  itemKey(daemonSetPartition(key), DAEMON_SET_STATE_SK);
/** The sort-key prefix of a DaemonSet's pods and statuses on one node. */
export const podsOnNodePrefix = (nodeName: string): string => `${PODS_AND_STATUSES_PREFIX}${nodeName}#`;
export const podItemKey = (key: DaemonSetKey, nodeName: string, podName: string): ItemKey =>
  itemKey(daemonSetPartition(key), `${podsOnNodePrefix(nodeName)}${podName}`);
export const podStatusItemKey = (key: DaemonSetKey, nodeName: string, podName: string): ItemKey =>
  itemKey(daemonSetPartition(key), `${podsOnNodePrefix(nodeName)}${podName}${POD_STATUS_SUFFIX}`);
/** The pod name in a pod's or status's sort key. */
export const podNameOfSortKey = (sortKey: string): string => {
  const parts = sortKey.split('#');
  return parts[2] ?? '';
};
export const revisionItemKey = (key: DaemonSetKey, name: string): ItemKey =>
  itemKey(daemonSetPartition(key), `${REVISION_PREFIX}${name}`);
export const nodeItemKey = (name: string): ItemKey =>
  itemKey(nodeShardPartition(nodeShardOf(name)), `${NODE_PREFIX}${name}`);

/** The DaemonSet key of a `DS#<namespace>/<name>` (or `EVENTS#...`) partition. */
export const keyOfPartition = (partition: string): DaemonSetKey => partition.slice(partition.indexOf('#') + 1);

/** What every adapter function needs: the client, the table and the store's settings. */
export type DynamoContext = Readonly<{
  client: DynamoDBDocumentClient;
  tableName: string;
  settings: StoreSettings;
  /** Set when this process is the table's only writer: warm reads then look back only past its own writes. */
  inFlightWrites?: InFlightWrites;
}>;

/** Runs a query to its last page. */
export async function queryAll(
  context: DynamoContext,
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await context.client.send(
      new QueryCommand({
        ...input,
        TableName: context.tableName,
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}

/**
 * Items as the document client reads and writes them. Nested model values (specs, templates, status,
 * memory) are kept as JSON text: DynamoDB maps do not keep key order, and the text round-trips exactly.
 */
export type Item = Record<string, NativeAttributeValue>;

/**
 * What every write of an item the bySeq index orders carries: `seq`, the writer's clock when it sent the write
 * (epoch ms), and `writeId`, unique to the write, so a reader tells a write it has seen from one it has not.
 */
export type WriteStamp = Readonly<{ seq: number; writeId: string }>;

export const newWriteStamp = (context: DynamoContext): WriteStamp => ({
  seq: context.settings.now(),
  writeId: randomBytes(9).toString('base64url'),
});

/**
 * What an item written by a logged step carries instead (`step-log.ts`): its step's write id and no `seq`, so it
 * has no `bySeq` entry; the step's log item is what warm readers find.
 */
export type LoggedStamp = Readonly<{ writeId: string }>;

/** The stamp as item attributes (no `seq` for an item of a logged step). */
export const stampAttributes = (stamp: WriteStamp | LoggedStamp): Item =>
  'seq' in stamp ? { [SEQ]: stamp.seq, [WRITE_ID]: stamp.writeId } : { [WRITE_ID]: stamp.writeId };

/**
 * The tombstone that replaces a removed revision, pod or status: its key, its stamp (so warm readers see the
 * removal through the bySeq index) and a time to live well past any warm reader's full reload.
 */
export function toRemovedItem(key: ItemKey, stamp: WriteStamp | LoggedStamp, at: string, expiresAt: number): Item {
  return { ...key, ...stampAttributes(stamp), [REMOVED_AT]: at, [TTL]: expiresAt };
}

export const isRemovedItem = (item: Item): boolean => typeof item[REMOVED_AT] === 'string';

/** A node (or its tombstone), stamped for the bySeq index. */
export function toNodeItem(name: string, record: NodeRecord, stamp: WriteStamp): Item {
  return {
    ...nodeItemKey(name),
    ...stampAttributes(stamp),
    observedAt: record.observedAt,
    ...(record.node === undefined ? {} : { node: JSON.stringify(record.node) }),
    ...(record.expiresAt === undefined ? {} : { [TTL]: record.expiresAt }),
  };
}

export function fromNodeItem(item: Item): NodeRecord {
  const node = item['node'];
  const expiresAt = item[TTL];
  return {
    observedAt: str(item, 'observedAt'),
    ...(typeof node === 'string' ? { node: JSON.parse(node) } : {}),
    ...(typeof expiresAt === 'number' ? { expiresAt } : {}),
  };
}

export function toPodItem(key: DaemonSetKey, pod: DesiredPod): Item {
  return {
    ...podItemKey(key, pod.nodeName, pod.name),
    [NODE_INDEX_PK]: nodeIndexPartition(pod.nodeName),
    [NODE_INDEX_SK]: podIndexSort(key, pod.name),
    ...pod,
  };
}

export function fromPodItem(item: Item): DesiredPod {
  const deletionTimestamp = item['deletionTimestamp'];
  return {
    name: str(item, 'name'),
    nodeName: str(item, 'nodeName'),
    revisionHash: str(item, 'revisionHash'),
    labels: (item['labels'] ?? {}) as Record<string, string>,
    creationTimestamp: str(item, 'creationTimestamp'),
    ...(typeof deletionTimestamp === 'string' ? { deletionTimestamp } : {}),
    ...(item['startupCritical'] === true ? { startupCritical: true } : {}),
  };
}

export function toPodStatusItem(key: DaemonSetKey, podName: string, status: PodStatusRecord): Item {
  const { expiresAt, ...rest } = status;
  return {
    ...podStatusItemKey(key, status.nodeName, podName),
    [NODE_INDEX_PK]: nodeIndexPartition(status.nodeName),
    [NODE_INDEX_SK]: statusIndexSort(key, podName),
    podName,
    ...rest,
    ...(expiresAt === undefined ? {} : { [TTL]: expiresAt }),
  };
}

export function fromPodStatusItem(item: Item): PodStatusRecord {
  const readySince = item['readySince'];
  const restartCount = item['restartCount'];
  const reason = item['reason'];
  const message = item['message'];
  const expiresAt = item[TTL];
  return {
    nodeName: str(item, 'nodeName'),
    revisionHash: str(item, 'revisionHash'),
    phase: str(item, 'phase') as PodPhase,
    ready: item['ready'] === true,
    ...(typeof readySince === 'string' ? { readySince } : {}),
    ...(typeof restartCount === 'number' ? { restartCount } : {}),
    ...(typeof reason === 'string' ? { reason } : {}),
    ...(typeof message === 'string' ? { message } : {}),
    observedAt: str(item, 'observedAt'),
    gone: item['gone'] === true,
    ...(typeof expiresAt === 'number' ? { expiresAt } : {}),
  };
}

/** The revision number is its own attribute so renumbering is a one-attribute update. */
export function toRevisionItem(key: DaemonSetKey, revision: ControllerRevision): Item {
  return { ...revisionItemKey(key, revision.name), revision: revision.revision, body: JSON.stringify(revision) };
}

export function fromRevisionItem(item: Item): ControllerRevision {
  return { ...json<ControllerRevision>(item, 'body'), revision: num(item, 'revision') };
}

/** One step's events as one item: `events` is the JSON list. */
export function toEventItem(key: DaemonSetKey, record: EventRecord): Item {
  const text = JSON.stringify(record.events);
  // A step's events repeat their reason and the shape of their message (a 250-pod step: 250 `SuccessfulCreate`), so
  // compressed they cost a tenth of the write units: a 31 KB record is about 3 KB. A short one stays plain text.
  const compressed = gzipSync(text);
  return {
    ...itemKey(eventsPartition(key), record.sortKey),
    ...(compressed.byteLength < Buffer.byteLength(text, 'utf8') ? { [EVENTS_GZIP]: compressed } : { events: text }),
    [TTL]: record.expiresAt,
  };
}

/** An event item's events as gzipped JSON (a binary attribute), in place of `events`. */
const EVENTS_GZIP = 'eventsGzip';

/** The events of an event item, in the order the step listed them. */
export function fromEventItem(item: Item): readonly DaemonSetEvent[] {
  const compressed = item[EVENTS_GZIP];
  if (compressed instanceof Uint8Array) return JSON.parse(gunzipSync(compressed).toString('utf8'));
  return json(item, 'events');
}

export function toNodeEventItem(event: NodeEvent, expiresAt: number): Item {
  return {
    ...itemKey(NODE_EVENTS_PARTITION, nodeEventSortKey(event)),
    event: JSON.stringify(event),
    [TTL]: expiresAt,
  };
}

export function fromNodeEventItem(item: Item): NodeEvent {
  return json(item, 'event');
}

export function toRejectionItem(rejection: Rejection, expiresAt: number): Item {
  return {
    ...itemKey(rejectionPartition(rejection.id), REJECTION_SK),
    [KIND_INDEX_PK]: REJECTION_KIND,
    [KIND_INDEX_SK]: `${rejection.time}#${rejection.id}`,
    rejection: JSON.stringify(rejection),
    [TTL]: expiresAt,
  };
}

export function fromRejectionItem(item: Item): Rejection {
  return json(item, 'rejection');
}

/** The sort key of an item, to tell apart what one partition query returned. */
export const sortKeyOf = (item: Item): string => str(item, SK);
export const partitionOf = (item: Item): string => str(item, PK);

/** The string attribute `name` of an item. @throws {Error} it is missing or not a string. */
export function str(item: Item, name: string): string {
  const value = item[name];
  if (typeof value !== 'string') throw new Error(`item ${describe(item)} has no string ${name}`);
  return value;
}

/** The number attribute `name` of an item. @throws {Error} it is missing or not a number. */
export function num(item: Item, name: string): number {
  const value = item[name];
  if (typeof value !== 'number') throw new Error(`item ${describe(item)} has no number ${name}`);
  return value;
}

/** The JSON text attribute `name` of an item, parsed. */
export function json<T>(item: Item, name: string): T {
  return JSON.parse(str(item, name)) as T;
}

const describe = (item: Item): string => `${String(item[PK])} ${String(item[SK])}`;

/**
 * A DaemonSet record as DynamoDB holds it, in two items of its partition:
 * - the **spec item** (`DAEMONSET`): `kind`, `observedAt`, the spec (`daemonSet`), the byKind index keys,
 *   and `version`, the record's version when the item was last written. Only spec changes (apply, delete,
 *   update, a reverted template) and removal write it; a tombstone is this item alone.
 * - the **state item** (`DAEMONSET#STATE`, live DaemonSets only): the current `version`, `status`, `memory`.
 *   Every reconcile step writes only this small item, conditioned on its version.
 *
 * `specVersion` is the spec item's `version`: it changes with every write of the spec but a bare fact-time
 * advance, so conditioning on it (and `observedAt`) detects any spec change since a read.
 */
export type DaemonSetItems = Readonly<{ record: DaemonSetRecord; specVersion: number; claim?: StepClaim }>;

/**
 * A claimed step under way on a DaemonSet (`claimed-step.ts`): its id, which the items it writes carry as their
 * write id, and the end of its lease (epoch ms), after which its claimer sends nothing more.
 */
export type StepClaim = Readonly<{ id: string; until: number }>;

/** The state item's attributes that hold a live claim; a claimed version exists only with them. */
export const CLAIM_ID = 'claimId';
export const CLAIM_UNTIL = 'claimUntil';

/** The spec item of a record (a tombstone for a removed one); `version` is the version being written. */
export function toDaemonSetSpecItem(key: DaemonSetKey, record: DaemonSetRecord): Item {
  const common = {
    ...daemonSetItemKey(key),
    kind: record.kind,
    version: record.version,
    observedAt: record.observedAt,
  };
  if (record.kind === 'removed') return { ...common, [TTL]: record.expiresAt };
  return {
    ...common,
    [KIND_INDEX_PK]: DAEMON_SET_KIND,
    [KIND_INDEX_SK]: key,
    daemonSet: JSON.stringify(record.daemonSet),
    ...(record.switchedAt === undefined ? {} : { switchedAt: JSON.stringify(record.switchedAt) }),
  };
}

/** The state item of a live record. */
export function toDaemonSetStateItem(key: DaemonSetKey, record: LiveDaemonSet): Item {
  return {
    ...daemonSetStateItemKey(key),
    version: record.version,
    ...(record.status === undefined ? {} : { status: JSON.stringify(record.status) }),
    memory: JSON.stringify(record.memory),
  };
}

/**
 * The record from its two items. Undefined without a spec item.
 *
 * @throws {Error} a live spec item has no state item (the two are only ever written together).
 */
export function fromDaemonSetItems(spec: Item | undefined, state: Item | undefined): DaemonSetItems | undefined {
  if (spec === undefined) return undefined;
  const specVersion = num(spec, 'version');
  const observedAt = str(spec, 'observedAt');
  if (spec['kind'] === 'removed') {
    return { record: { kind: 'removed', version: specVersion, observedAt, expiresAt: num(spec, TTL) }, specVersion };
  }
  if (state === undefined) throw new Error(`DaemonSet item ${String(spec['pk'])} has no state item`);
  const status = state['status'];
  const switchedAt = spec['switchedAt'];
  const record: LiveDaemonSet = {
    kind: 'live',
    daemonSet: json(spec, 'daemonSet'),
    version: num(state, 'version'),
    observedAt,
    ...(typeof switchedAt === 'string' ? { switchedAt: JSON.parse(switchedAt) } : {}),
    ...(typeof status === 'string' ? { status: JSON.parse(status) } : {}),
    memory: json(state, 'memory'),
  };
  const claimId = state[CLAIM_ID];
  const claimUntil = state[CLAIM_UNTIL];
  const claim =
    typeof claimId === 'string' && typeof claimUntil === 'number' ? { id: claimId, until: claimUntil } : undefined;
  return { record, specVersion, ...(claim === undefined ? {} : { claim }) };
}

/**
 * Creates the table as the CDK stack does (on-demand, the indexes' projections above,
 * TTL on `expiresAt`), for DynamoDB Local in tests and the local control plane. Safe to call when it exists.
 */
export async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const keys = [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, ...[BY_NODE_INDEX, BY_KIND_INDEX].flatMap(indexKeys)];
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          ...keys.map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
          { AttributeName: BY_SEQ_INDEX.sortKey, AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: BY_SEQ_INDEX.name,
            KeySchema: [
              { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
              { AttributeName: BY_SEQ_INDEX.sortKey, KeyType: 'RANGE' },
            ],
            Projection: toProjection(BY_SEQ_INDEX.projection),
          },
        ],
        GlobalSecondaryIndexes: [BY_NODE_INDEX, BY_KIND_INDEX].map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: toProjection(index.projection),
        })),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 120, minDelay: 1 }, { TableName: tableName });
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') return;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE_KEYS.timeToLive, Enabled: true },
    }),
  );
}

const indexKeys = (index: typeof BY_NODE_INDEX | typeof BY_KIND_INDEX): string[] => [index.partitionKey, index.sortKey];

const toProjection = (projection: IndexProjection): Projection =>
  projection.type === 'ALL'
    ? { ProjectionType: 'ALL' }
    : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...projection.nonKeyAttributes] };
