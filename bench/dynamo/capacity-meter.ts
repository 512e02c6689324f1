import type { ConsumedCapacity, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readPartitions } from './read-partitions.js';
import { type KindCost, type WriteCost, WriteCostModel } from './write-cost-model.js';

/** Capacity used by one kind of request under one label. */
export type UsageLine = {
  requests: number;
  /** Read units as DynamoDB Local reports them (they follow AWS's rules for reads). */
  readUnits: number;
  /** Write units as DynamoDB Local reports them (table and indexes; transactions misreported). */
  localWriteUnits: number;
  /** Write units as AWS bills them (see WriteCostModel): table items, then index entries. */
  writeUnits: number;
  indexWriteUnits: number;
  /** Items written (a transaction's or batch's items each count). */
  itemsWritten: number;
  failed: number;
};

/**
 * Units one request spent on one partition key, stamped when its response arrived (`performance.now()`),
 * with the request's operation and how long DynamoDB took to answer it.
 */
export type KeyUnits = Readonly<{
  at: number;
  partition: string;
  readUnits: number;
  writeUnits: number;
  operation: string;
  ms: number;
}>;

/** Usage by label (the store method that was running), then by DynamoDB operation. */
export type Usage = Map<string, Map<string, UsageLine>>;

/** What a stretch of work cost: by label and operation, and (writes) by item kind. */
export type Measurement = Readonly<{ usage: Usage; byKind: Map<string, KindCost> }>;

const ITEM_OPERATIONS = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
]);
const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

const emptyLine = (): UsageLine => ({
  requests: 0,
  readUnits: 0,
  localWriteUnits: 0,
  writeUnits: 0,
  indexWriteUnits: 0,
  itemsWritten: 0,
  failed: 0,
});

/**
 * Measures DynamoDB cost from the outside of the store: middleware on the client asks every item
 * operation for `ReturnConsumedCapacity: 'INDEXES'`, adds up what DynamoDB Local reports, and prices
 * every write with {@link WriteCostModel} from the request body. Requests are counted under the label
 * set with `during` (the store method running; the benchmark pipeline runs one handler at a time).
 */
export class CapacityMeter {
  readonly model = new WriteCostModel();
  #label = 'other';
  #counting = true;
  #usage: Usage = new Map();
  #byKind = new Map<string, KindCost>();
  #keyLog: KeyUnits[] | undefined;

  /** Installs the middleware on a client (document clients built from it send through it too). */
  attach(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (ITEM_OPERATIONS.has(operationOf(context.commandName))) {
          (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'INDEXES';
        }
        return next(args);
      },
      { step: 'initialize', name: 'everynodeAskCapacity', override: true },
    );
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = operationOf(context.commandName);
        if (!ITEM_OPERATIONS.has(operation) || !this.#counting) return next(args);
        const body = JSON.parse(bodyText((args.request as { body?: unknown }).body)) as Record<string, unknown>;
        const priced = WRITE_OPERATIONS.has(operation) ? this.model.price(operation, body) : undefined;
        const line = this.#line(operation);
        line.requests += 1;
        const sent = performance.now();
        try {
          const result = await next(args);
          const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
          addReported(line, operation, consumed);
          if (priced !== undefined) {
            this.#add(line, priced.cost);
            this.#logKeys(priced.cost.byPartition, 'writeUnits', operation, sent);
            priced.commit();
          } else this.#logKeys(readPartitions(operation, body, consumed), 'readUnits', operation, sent);
          return result;
        } catch (error) {
          line.failed += 1;
          if (priced !== undefined) {
            const cost = this.model.priceFailure(operation, body);
            this.#add(line, cost);
            this.#logKeys(cost.byPartition, 'writeUnits', operation, sent);
          }
          throw error;
        }
      },
      { step: 'build', name: 'everynodeMeterCapacity', override: true },
    );
  }

  /** Runs `work` with every request it sends counted under `label`. */
  async during<T>(label: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#label;
    this.#label = label;
    try {
      return await work();
    } finally {
      this.#label = previous;
    }
  }

  /** Runs `work` without counting it (the simulated agents' own reads are not the controller's cost). */
  async uncounted<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.#counting;
    this.#counting = false;
    try {
      return await work();
    } finally {
      this.#counting = previous;
    }
  }

  /**
   * From now on, also logs every counted request's units by partition key (reads as DynamoDB Local reports
   * them, split by the keys read; writes as priced by the model, per item and index entry).
   */
  logKeys(): void {
    this.#keyLog = [];
  }

  /** The key log so far; logging stops. */
  takeKeyLog(): readonly KeyUnits[] {
    const log = this.#keyLog ?? [];
    this.#keyLog = undefined;
    return log;
  }

  /** The totals counted so far, without resetting them. */
  peek(): UsageLine {
    return totalsOf(this.#usage);
  }

  /** Everything counted so far; counting starts again from zero. */
  take(): Measurement {
    const measurement = { usage: this.#usage, byKind: this.#byKind };
    this.#usage = new Map();
    this.#byKind = new Map();
    return measurement;
  }

  #logKeys(
    byPartition: ReadonlyMap<string, number>,
    units: 'readUnits' | 'writeUnits',
    operation: string,
    sent: number,
  ): void {
    if (this.#keyLog === undefined) return;
    const at = performance.now();
    for (const [partition, value] of byPartition) {
      this.#keyLog.push({ at, partition, readUnits: 0, writeUnits: 0, [units]: value, operation, ms: at - sent });
    }
  }

  #add(line: UsageLine, cost: WriteCost): void {
    line.writeUnits += cost.tableUnits;
    line.indexWriteUnits += cost.indexUnits;
    line.itemsWritten += cost.items;
    for (const [kind, part] of cost.byKind) {
      const total = this.#byKind.get(kind) ?? { items: 0, tableUnits: 0, indexUnits: 0, transactional: 0 };
      this.#byKind.set(kind, total);
      total.items += part.items;
      total.tableUnits += part.tableUnits;
      total.indexUnits += part.indexUnits;
      total.transactional += part.transactional;
    }
  }

  #line(operation: string): UsageLine {
    const byOperation = this.#usage.get(this.#label) ?? new Map<string, UsageLine>();
    this.#usage.set(this.#label, byOperation);
    const line = byOperation.get(operation) ?? emptyLine();
    byOperation.set(operation, line);
    return line;
  }
}

// The SDK may hand over a Uint8Array subclass that warns when treated as a string: decode its bytes.
const bodyText = (body: unknown): string =>
  typeof body === 'string' ? body : body instanceof Uint8Array ? new TextDecoder().decode(body) : '{}';

const operationOf = (commandName: string | undefined): string => (commandName ?? 'unknown').replace(/Command$/, '');

function addReported(line: UsageLine, operation: string, consumed: unknown): void {
  const entries = (Array.isArray(consumed) ? consumed : consumed === undefined ? [] : [consumed]) as ConsumedCapacity[];
  const isWrite = WRITE_OPERATIONS.has(operation);
  for (const entry of entries) {
    const units = entry.CapacityUnits ?? (entry.ReadCapacityUnits ?? 0) + (entry.WriteCapacityUnits ?? 0);
    if (isWrite) line.localWriteUnits += units;
    else line.readUnits += units;
  }
}

/** The sum of every line of a usage. */
export function totalsOf(usage: Usage): UsageLine {
  const total = emptyLine();
  for (const byOperation of usage.values()) {
    for (const line of byOperation.values()) {
      for (const key of Object.keys(total) as (keyof UsageLine)[]) total[key] += line[key];
    }
  }
  return total;
}
