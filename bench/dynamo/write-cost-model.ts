import { BY_KIND_INDEX, BY_NODE_INDEX, BY_SEQ_INDEX, TABLE_KEYS } from '../../lib/store/dynamo/table.js';
import { itemSize, type WireItem, writeUnitsFor } from './item-size.js';
import { type Attributes, applySet, toWrites, type Write } from './write-requests.js';

/** What writes to one kind of item cost. */
export type KindCost = { items: number; tableUnits: number; indexUnits: number; transactional: number };

/**
 * What one write request costs on AWS, by the published rules, table and index apart, by item kind, and by
 * partition key: the table's partition key value, or `<index name>:<value>` for an index entry.
 */
export type WriteCost = {
  tableUnits: number;
  indexUnits: number;
  items: number;
  byKind: Map<string, KindCost>;
  byPartition: Map<string, number>;
};

/** The kind of a table item, from its keys (see lib/store/dynamo/table.ts). */
export function itemKind(partition: string, sort: string): string {
  if (partition.startsWith('EVENTS#')) return 'event';
  if (partition.startsWith('REJECTION#')) return 'rejection';
  if (sort === 'DAEMONSET') return 'DaemonSet spec';
  if (sort === 'DAEMONSET#STATE') return 'DaemonSet state';
  if (sort.startsWith('PODSTATUS#')) return 'pod status';
  if (sort.startsWith('POD#')) return 'pod';
  if (sort.startsWith('REVISION#')) return 'revision';
  if (sort.startsWith('NODE#')) return 'node';
  if (sort.startsWith('STEP#')) return 'step log';
  return 'other';
}

const emptyCost = (): WriteCost => ({
  tableUnits: 0,
  indexUnits: 0,
  items: 0,
  byKind: new Map(),
  byPartition: new Map(),
});

/** An index entry's write units, on the index partition they land on. */
type IndexWrite = Readonly<{ partition: string; units: number }>;

function addTo(
  cost: WriteCost,
  keys: WireItem,
  tableUnits: number,
  indexWrites: readonly IndexWrite[],
  transactional: boolean,
): void {
  const kind = kindOf(keys);
  const indexUnits = indexWrites.reduce((total, write) => total + write.units, 0);
  cost.tableUnits += tableUnits;
  cost.indexUnits += indexUnits;
  cost.items += 1;
  addUnits(cost.byPartition, partitionOf(keys), tableUnits);
  for (const write of indexWrites) addUnits(cost.byPartition, write.partition, write.units);
  const line = cost.byKind.get(kind) ?? { items: 0, tableUnits: 0, indexUnits: 0, transactional: 0 };
  cost.byKind.set(kind, line);
  line.items += 1;
  line.tableUnits += tableUnits;
  line.indexUnits += indexUnits;
  if (transactional) line.transactional += 1;
}

type PricedIndex = Readonly<{
  name: string;
  partitionKey: string;
  sortKey: string;
  projection: Readonly<{ type: 'ALL' } | { type: 'INCLUDE'; nonKeyAttributes: readonly string[] }>;
}>;

/** Every index the table has: the two global ones and the local one on node items (keyed by the table's partition key). */
const INDEXES: readonly PricedIndex[] = [
  BY_NODE_INDEX,
  BY_KIND_INDEX,
  { ...BY_SEQ_INDEX, partitionKey: TABLE_KEYS.partitionKey },
];

/**
 * Prices DynamoDB writes as AWS bills them, because DynamoDB Local does not report transactions
 * faithfully (it reports 4 units for a one-item and a ten-item transaction alike). Rules:
 * a write costs one unit per started KB of the larger of the old and new item (a delete: the old item);
 * inside TransactWriteItems every item costs twice (prepare and commit), a ConditionCheck like a write
 * of the checked item; each global secondary index the item enters, leaves or changes in costs one unit
 * per started KB of the index entry (keys plus projected attributes: the whole item for an ALL projection),
 * not doubled in transactions (the local index bySeq is priced the same way). An item that stays in an index with its keys and projected attributes
 * unchanged costs that index nothing (for ALL, any change of the item counts).
 * Sizes of existing items come from a shadow of every item written through the metered client.
 */
export class WriteCostModel {
  readonly #items = new Map<string, Attributes>();

  /** Prices a request from its wire-format body; `commit` then updates the shadow once it succeeded. */
  price(operation: string, body: Readonly<Record<string, unknown>>): Readonly<{ cost: WriteCost; commit: () => void }> {
    const transactional = operation === 'TransactWriteItems';
    const writes = toWrites(operation, body);
    const cost = emptyCost();
    const changes: (readonly [string, Attributes | undefined])[] = [];
    for (const write of writes) {
      const keys = write.kind === 'put' ? write.item : write.key;
      const id = this.#idOf(write.table, keys);
      const before = this.#items.get(id);
      const after = nextItem(write, before);
      const table = writeUnitsFor(Math.max(size(before), write.kind === 'check' ? size(before) : size(after)));
      const index = write.kind === 'check' ? [] : indexWrites(before, after);
      addTo(cost, keys, transactional ? 2 * table : table, index, transactional);
      if (write.kind !== 'check') changes.push([id, after]);
    }
    return {
      cost,
      commit: () => {
        for (const [id, after] of changes) {
          if (after === undefined) this.#items.delete(id);
          else this.#items.set(id, after);
        }
      },
    };
  }

  /** A standalone conditional write that failed still costs its item's size (at least one unit). */
  priceFailure(operation: string, body: Readonly<Record<string, unknown>>): WriteCost {
    const cost = emptyCost();
    if (operation === 'TransactWriteItems' || operation === 'BatchWriteItem') return cost;
    const [write] = toWrites(operation, body);
    if (write === undefined) return cost;
    const keys = write.kind === 'put' ? write.item : write.key;
    addTo(cost, keys, writeUnitsFor(size(this.#items.get(this.#idOf(write.table, keys)))), [], false);
    return cost;
  }

  /** The size of every item the shadow holds, by item kind. */
  sizesByKind(): Map<string, number[]> {
    const sizes = new Map<string, number[]>();
    for (const item of this.#items.values()) {
      const kind = kindOf(item);
      const list = sizes.get(kind) ?? [];
      list.push(itemSize(item));
      sizes.set(kind, list);
    }
    return sizes;
  }

  #idOf(table: string, item: WireItem): string {
    return `${table}|${item[TABLE_KEYS.partitionKey]?.S ?? ''}|${item[TABLE_KEYS.sortKey]?.S ?? ''}`;
  }
}

const kindOf = (keys: WireItem): string =>
  itemKind(keys[TABLE_KEYS.partitionKey]?.S ?? '', keys[TABLE_KEYS.sortKey]?.S ?? '');

/** The table partition key value of an item or key. */
export const partitionOf = (keys: WireItem): string => keys[TABLE_KEYS.partitionKey]?.S ?? '';

const addUnits = (byPartition: Map<string, number>, partition: string, units: number): void => {
  if (units > 0) byPartition.set(partition, (byPartition.get(partition) ?? 0) + units);
};

const size = (item: Attributes | undefined): number => (item === undefined ? 0 : itemSize(item));

function indexWrites(before: Attributes | undefined, after: Attributes | undefined): IndexWrite[] {
  const writes: IndexWrite[] = [];
  for (const index of INDEXES) {
    const oldKey = indexKey(before, index);
    const newKey = indexKey(after, index);
    if (oldKey === undefined && newKey === undefined) continue;
    const oldEntry = before === undefined ? undefined : projected(before, index);
    const newEntry = after === undefined ? undefined : projected(after, index);
    const onIndex = (item: Attributes | undefined) => `${index.name}:${item?.[index.partitionKey]?.S ?? ''}`;
    if (oldKey !== undefined && newKey !== undefined && oldKey === newKey) {
      const changed = index.projection.type === 'ALL' || JSON.stringify(oldEntry) !== JSON.stringify(newEntry);
      if (changed) writes.push({ partition: onIndex(after), units: writeUnitsFor(size(newEntry)) });
    } else {
      if (oldKey !== undefined) writes.push({ partition: onIndex(before), units: writeUnitsFor(size(oldEntry)) });
      if (newKey !== undefined) writes.push({ partition: onIndex(after), units: writeUnitsFor(size(newEntry)) });
    }
  }
  return writes;
}

/** What an index holds of an item: everything, or the table and index keys plus the included attributes. */
function projected(item: Attributes, index: PricedIndex): Attributes {
  if (index.projection.type === 'ALL') return item;
  const names = [
    TABLE_KEYS.partitionKey,
    TABLE_KEYS.sortKey,
    index.partitionKey,
    index.sortKey,
    ...index.projection.nonKeyAttributes,
  ];
  return Object.fromEntries(names.flatMap((name) => (item[name] === undefined ? [] : [[name, item[name]]])));
}

function indexKey(item: Attributes | undefined, index: PricedIndex): string | undefined {
  const partition = item?.[index.partitionKey]?.S;
  const sort = item?.[index.sortKey]?.S ?? item?.[index.sortKey]?.N;
  return partition === undefined || sort === undefined ? undefined : `${partition}|${sort}`;
}

function nextItem(write: Write, before: Attributes | undefined): Attributes | undefined {
  switch (write.kind) {
    case 'put':
      return { ...write.item };
    case 'delete':
      return undefined;
    case 'check':
      return before;
    case 'update':
      return applySet(before ?? { ...write.key }, write);
  }
}
