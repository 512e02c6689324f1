import type { DaemonSetKey } from '../../model/daemon-set.js';
import type { Node } from '../../model/node.js';
import { compareStrings } from '../../model/order.js';
import type { NodeRecord } from '../plan/stored-records.js';
import type { QuietMark } from './in-flight-writes.js';
import { PartitionModel } from './partition-model.js';
import { getItems } from './read-item.js';
import { type PartitionContents, readPartition } from './read-partition.js';
import { isStepLogItem, loggedEntries, STEP_LOG_PREFIX } from './step-log.js';
import {
  BY_SEQ_INDEX,
  DAEMON_SET_PREFIX,
  DAEMON_SET_SK,
  DAEMON_SET_STATE_SK,
  type DynamoContext,
  daemonSetPartition,
  fromDaemonSetItems,
  fromNodeItem,
  type Item,
  type ItemKey,
  isRemovedItem,
  itemKey,
  NODE_PREFIX,
  NODE_SHARDS,
  nodeShardPartition,
  PK,
  partitionOf,
  queryAll,
  SEQ,
  SK,
  sortKeyOf,
  WRITE_ID,
} from './table.js';

// What one warm store instance keeps of what it read, so a pass reads what changed instead of everything: the
// fleet (`FleetCache`) and the DaemonSet partitions (`PartitionCache`). Both rest on the `bySeq` local index
// (strongly consistent) and one argument, in docs/decisions/0005-node-path-and-fleet-cache.md: every write
// carries `seq`, its writer's clock when sent, and lands at most `writeLagMs` (a store setting) later, so asking
// for `seq >= (start of the last read) - writeLagMs` returns every write the last read may have missed.
/** A cache older than this is read again in full, long before a tombstone it relies on can expire (1 day). */
export const CACHE_MAX_AGE_MS = 30 * 60_000;
/** How many partition items one store keeps at most (about 1.5 KB each); the least recently read go first. */
export const PARTITION_CACHE_ITEMS = 200_000;

type Known = Readonly<{ name: string; record: NodeRecord; writeId: string | undefined }>;

/**
 * The fleet as one warm store instance knows it, kept fresh with strongly consistent reads: the first read
 * queries every node shard; later reads ask each shard's `bySeq` index for the nodes written since the last
 * read, minus `writeLagMs`, and fetch only those whose write it has not seen. A pass over an unchanged fleet
 * costs one small query per shard; a change of k nodes, O(k) reads; never the whole fleet. What it returns
 * equals a full strongly consistent read taken when the call began (the contract suite checks it).
 */
/** The `InFlightWrites` scope of the store calls that write node items. */
export const FLEET_SCOPE = 'nodes';

export class FleetCache {
  readonly #context: DynamoContext;
  #nodes = new Map<string, Known>();
  /** The writer time every write not yet seen carries at least; undefined before the first read. */
  #since: number | undefined;
  #loadedAt = 0;

  constructor(context: DynamoContext) {
    this.#context = context;
  }

  /** When this process is the table's only writer: its node writes as the last read began. */
  #quiet: QuietMark | undefined;
  #list: readonly Node[] = [];

  /** Every live node, by name, as of a strongly consistent read that began after this call. */
  async nodes(): Promise<readonly Node[]> {
    const now = this.#context.settings.now();
    const { inFlightWrites, settings } = this.#context;
    // The only writer wrote no node since a read that saw every node write before it: that read is still the table.
    const fresh = now - this.#loadedAt <= CACHE_MAX_AGE_MS;
    if (fresh && inFlightWrites?.unchangedSince(this.#quiet, now, settings.writeLagMs) === true) return this.#list;
    const quiet = inFlightWrites?.quiet(FLEET_SCOPE, now, settings.writeLagMs);
    const next = lookBackFrom(this.#context, now);
    if (this.#since === undefined || now - this.#loadedAt > CACHE_MAX_AGE_MS) {
      this.#nodes = new Map((await readNodeShards(this.#context, true)).map((known) => [known.name, known]));
      this.#loadedAt = now;
    } else {
      const since = this.#since;
      const entries = (
        await Promise.all(
          Array.from({ length: NODE_SHARDS }, (_, shard) =>
            writtenSince(this.#context, nodeShardPartition(shard), since),
          ),
        )
      ).flat();
      const seen = (entry: Item) => this.#nodes.get(nameOf(entry))?.writeId;
      for (const [entry, item] of await fetchUnseen(this.#context, entries, seen)) {
        if (item === undefined) this.#nodes.delete(nameOf(entry));
        else this.#nodes.set(nameOf(item), toKnown(item));
      }
    }
    this.#since = next;
    this.#quiet = quiet;
    this.#list = [...this.#nodes.values()]
      .flatMap(({ record }) => record.node ?? [])
      .sort((a, b) => compareStrings(a.name, b.name));
    return this.#list;
  }
}

type PartitionEntry = {
  /** Revisions, pods, statuses and removal markers by sort key (never the two DaemonSet items). */
  items: Map<string, Item>;
  since: number;
  loadedAt: number;
  /** The DaemonSet's `creationTimestamp`: a DaemonSet removed and created again is another partition. */
  incarnation: string;
  counted: number;
  /** Moves on every change to `items` (a read's, or `remember`'s), so `remember` can tell nothing came between. */
  tick: number;
  /** The live items as last returned, and the tick they were taken at: the same array while nothing changed. */
  live?: Readonly<{ tick: number; items: readonly Item[] }>;
  /** The revisions and pods of `items`, as of the last read. */
  model: PartitionModel;
  /** Sort keys whose item changed since the last read brought `model` up to date. */
  changed: Set<string>;
};

/**
 * A partition as read: its two `DAEMONSET` items (read afresh every time), and its revisions and pods (removal
 * markers and step logs left out). `contents` is the very same object from one read to the next while nothing in
 * it changed, and a pod that did not change is the same object (a warm entry keeps them in a `PartitionModel`).
 */
export type PartitionRead = Readonly<{ record: readonly Item[]; contents: PartitionContents }>;

/** A read, and the live items behind it when there is no entry to take them from (`items`). */
type Turn = Readonly<{ read: PartitionRead; entry?: PartitionEntry; rest?: readonly Item[] }>;

/**
 * The DaemonSet partitions one warm store instance has read, kept fresh like the fleet: the first read of a
 * partition queries it whole (step logs left out); later reads query its two `DAEMONSET` items (always read
 * afresh: they carry the version every step is conditioned on), then its `bySeq` entries since the last read,
 * minus `writeLagMs`, and fetch only the items whose write they have not seen; a step log among them
 * (`step-log.ts`) names the items its chunk wrote, and those not seen as of its write are fetched next. The order matters: what a step decides from must be
 * no older than the version it is written under. Removed revisions, pods and statuses leave removal
 * markers (`removedAt`) for this; a removed DaemonSet's partition is deleted outright, which the cache notices
 * as a new `creationTimestamp` (or no live record) and reads in full. Bounded to `PARTITION_CACHE_ITEMS`.
 * What it returns equals a full strongly consistent query of the partition taken when the call began, removal
 * markers left out (the contract suite checks it).
 */
export class PartitionCache {
  readonly #context: DynamoContext;
  readonly #maxItems: number;
  readonly #entries = new Map<DaemonSetKey, PartitionEntry>();
  #size = 0;
  #ticks = 0;
  /** The read of each partition under way, which the next read of it waits for. */
  readonly #reading = new Map<DaemonSetKey, Promise<void>>();

  constructor(context: DynamoContext, maxItems = PARTITION_CACHE_ITEMS) {
    this.#context = context;
    this.#maxItems = maxItems;
  }

  /** Every item of the partition, removal markers and step logs left out, as of a strongly consistent read. */
  async items(key: DaemonSetKey): Promise<readonly Item[]> {
    const { read, entry, rest = entry === undefined ? [] : liveItemsOf(entry) } = await this.#turn(key);
    return [...read.record, ...rest];
  }

  /**
   * The partition as of a strongly consistent read, its record apart (see `PartitionRead`). Reads of one partition
   * take turns: two at once could each fetch the same item, and the one fetched first, applied last, would leave
   * an older copy held past the look-back that would correct it (the dashboard lists pods while passes read).
   */
  async read(key: DaemonSetKey): Promise<PartitionRead> {
    return (await this.#turn(key)).read;
  }

  #turn(key: DaemonSetKey): Promise<Turn> {
    const read = (this.#reading.get(key) ?? Promise.resolve()).then(() => this.#read(key));
    // A failed read does not fail the next one.
    const settled = read.then(
      () => undefined,
      () => undefined,
    );
    this.#reading.set(key, settled);
    void settled.then(() => {
      if (this.#reading.get(key) === settled) this.#reading.delete(key);
    });
    return read;
  }

  async #read(key: DaemonSetKey): Promise<Turn> {
    const now = this.#context.settings.now();
    const next = lookBackFrom(this.#context, now);
    const partition = daemonSetPartition(key);
    const entry = this.#entries.get(key);
    if (entry !== undefined && now - entry.loadedAt <= CACHE_MAX_AGE_MS) {
      // The record first, then what changed: every item read is then at least as new as the version the step
      // will be conditioned on. (Side by side, a step that created a pod between the two reads would show its
      // version without its pod, and a second pod would be planned on that node under the same version.)
      const record = await queryAll(this.#context, {
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
        ExpressionAttributeValues: { ':pk': partition, ':prefix': DAEMON_SET_PREFIX },
        ConsistentRead: true,
      });
      const entries = await writtenSince(this.#context, partition, entry.since);
      const incarnation = incarnationOf(record);
      if (incarnation === entry.incarnation) {
        const seen = (item: Item) => entry.items.get(sortKeyOf(item))?.[WRITE_ID];
        const apply = (fetched: readonly (readonly [Item, Item | undefined])[]) => {
          for (const [item, current] of fetched) {
            if (current === undefined) entry.items.delete(sortKeyOf(item));
            else entry.items.set(sortKeyOf(item), current);
            entry.changed.add(sortKeyOf(item));
          }
          return fetched;
        };
        // Then what the step logs among them name (`step-log.ts`), less what was just fetched as it stands now.
        const fetched = apply(await fetchUnseen(this.#context, entries, seen));
        const fresh = new Set(fetched.map(([item]) => sortKeyOf(item)));
        const named = new Map(
          fetched
            .flatMap(([, current]) => (current !== undefined && isStepLogItem(current) ? loggedEntries(current) : []))
            .filter((listed) => !fresh.has(sortKeyOf(listed)) && seen(listed) !== listed[WRITE_ID])
            .map((listed) => [sortKeyOf(listed), listed]),
        );
        const fetchedNamed = apply(await fetchUnseen(this.#context, [...named.values()], seen));
        // A log read alone changes nothing a snapshot holds: the live items (and their parse) stay as they were.
        if ([...fetched, ...fetchedNamed].some(([item]) => !isStepLogItem(item))) entry.tick = ++this.#ticks;
        entry.since = next;
        this.#keep(key, entry);
        return { read: { record, contents: contentsOf(entry) }, entry };
      }
      this.#forget(key);
      if (incarnation === undefined) return { read: { record, contents: { revisions: [], pods: [] } }, rest: [] };
    }
    // Step logs sort last and are left out: a whole read has every item they name.
    const items = await queryAll(this.#context, {
      KeyConditionExpression: '#pk = :pk AND #sk < :logs',
      ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
      ExpressionAttributeValues: { ':pk': partition, ':logs': STEP_LOG_PREFIX },
      ConsistentRead: true,
    });
    const record = items.filter(isDaemonSetItem);
    const rest = items.filter((item) => !isDaemonSetItem(item));
    const incarnation = incarnationOf(record);
    if (incarnation === undefined) {
      const live = rest.filter(isLiveItem);
      return { read: { record, contents: readPartition(key, live) }, rest: live };
    }
    const loaded = { since: next, loadedAt: now, incarnation, counted: 0, tick: ++this.#ticks };
    const held = new Map(rest.map((item) => [sortKeyOf(item), item]));
    const loadedEntry = { ...loaded, items: held, model: new PartitionModel(key), changed: new Set(held.keys()) };
    this.#keep(key, loadedEntry);
    return { read: { record, contents: contentsOf(loadedEntry) }, entry: loadedEntry };
  }

  /** What the partition's entry holds now, for `remember`; undefined when it holds nothing. */
  mark(key: DaemonSetKey): number | undefined {
    return this.#entries.get(key)?.tick;
  }

  /**
   * Takes in the whole items this store just put in the partition (a step's creates and removal markers, as its
   * transaction wrote them, stamped, and the chunk's step log when it names nothing else), so the next warm read
   * does not fetch back what it wrote: their `bySeq` entries (or the log's) then carry the write ids the cache
   * holds. Only when nothing changed the entry since `mark` was taken
   * before the write: a read that landed in between may hold a newer write of the same item, which must win. A
   * write of someone else after this one has another write id and a `seq` within the next look-back, so the next
   * read fetches it as before.
   */
  remember(key: DaemonSetKey, items: readonly Item[], mark: number | undefined): void {
    const entry = this.#entries.get(key);
    if (entry === undefined || mark === undefined || entry.tick !== mark || items.length === 0) return;
    for (const item of items) {
      if (typeof item[WRITE_ID] !== 'string' || isDaemonSetItem(item)) continue;
      entry.items.set(sortKeyOf(item), item);
      entry.changed.add(sortKeyOf(item));
    }
    entry.tick = ++this.#ticks;
    this.#keep(key, entry);
  }

  /** Keeps an entry as the most recently read, then drops the least recently read while over the bound. */
  #keep(key: DaemonSetKey, entry: PartitionEntry): void {
    this.#forget(key);
    entry.counted = entry.items.size;
    this.#entries.set(key, entry);
    this.#size += entry.counted;
    for (const oldest of this.#entries.keys()) {
      if (this.#size <= this.#maxItems || oldest === key) break;
      this.#forget(oldest);
    }
  }

  /** Drops what is held of a partition, so its next read is whole (after a claim was taken over). */
  forget(key: DaemonSetKey): void {
    this.#forget(key);
  }

  #forget(key: DaemonSetKey): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#size -= entry.counted;
    this.#entries.delete(key);
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

/**
 * The earliest stamp a write that a read beginning at `now` may miss can carry: `now - writeLagMs`, or, when
 * this process is the table's only writer, the beginning of its oldest write still under way (`InFlightWrites`).
 */
export function lookBackFrom(context: DynamoContext, now: number): number {
  const { inFlightWrites, settings } = context;
  return inFlightWrites === undefined
    ? now - settings.writeLagMs
    : inFlightWrites.lookBackFrom(now, settings.writeLagMs);
}

/** The `bySeq` entries (keys, `seq`, `writeId`) of one partition written at `since` or later. */
function writtenSince(context: DynamoContext, partition: string, since: number): Promise<Item[]> {
  return queryAll(context, {
    IndexName: BY_SEQ_INDEX.name,
    KeyConditionExpression: '#pk = :pk AND #seq >= :since',
    ExpressionAttributeNames: { '#pk': PK, '#seq': SEQ },
    ExpressionAttributeValues: { ':pk': partition, ':since': since },
    ConsistentRead: true,
  });
}

/**
 * The items behind the `bySeq` entries whose write the cache has not seen (`seen` gives the write id it holds),
 * read strongly consistently: each such entry with its item as stored now, or undefined if it is gone.
 * Sort keys are unique across the partitions one cache reads (node names, or one DaemonSet's items).
 */
async function fetchUnseen(
  context: DynamoContext,
  entries: readonly Item[],
  seen: (entry: Item) => unknown,
): Promise<readonly (readonly [entry: Item, current: Item | undefined])[]> {
  const unseen = entries.filter((entry) => seen(entry) !== entry[WRITE_ID]);
  const found = new Map((await getItems(context, unseen.map(keyOf))).map((item) => [sortKeyOf(item), item]));
  return unseen.map((entry) => [entry, found.get(sortKeyOf(entry))] as const);
}

const keyOf = (item: Item): ItemKey => itemKey(partitionOf(item), sortKeyOf(item));

const nameOf = (item: Item): string => sortKeyOf(item).slice(NODE_PREFIX.length);

const toKnown = (item: Item): Known => ({
  name: nameOf(item),
  record: fromNodeItem(item),
  writeId: typeof item[WRITE_ID] === 'string' ? item[WRITE_ID] : undefined,
});

const isDaemonSetItem = (item: Item): boolean => sortKeyOf(item).startsWith(DAEMON_SET_PREFIX);

/** A revision, pod or status the partition holds: not a removal marker, not a step log. */
const isLiveItem = (item: Item): boolean => !isRemovedItem(item) && !isStepLogItem(item);

/** The entry's live items: the array last returned while its tick has not moved, else a new one. */
function liveItemsOf(entry: PartitionEntry): readonly Item[] {
  if (entry.live?.tick !== entry.tick)
    entry.live = { tick: entry.tick, items: [...entry.items.values()].filter(isLiveItem) };
  return entry.live.items;
}

/** The entry's revisions and pods, brought up to date with the items that changed since the last read. */
function contentsOf(entry: PartitionEntry): PartitionContents {
  const contents = entry.model.update(entry.items, entry.changed);
  entry.changed.clear();
  return contents;
}

/** The live DaemonSet's `creationTimestamp` from its two items; undefined for a tombstone or nothing. */
function incarnationOf(items: readonly Item[]): string | undefined {
  const record = fromDaemonSetItems(
    items.find((item) => sortKeyOf(item) === DAEMON_SET_SK),
    items.find((item) => sortKeyOf(item) === DAEMON_SET_STATE_SK),
  )?.record;
  return record?.kind === 'live' ? (record.daemonSet.creationTimestamp ?? '') : undefined;
}
