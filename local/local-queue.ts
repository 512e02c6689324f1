import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { failedMessageIds, type StoredMessage, toSqsRecord } from './to-sqs-record.js';

/**
 * An SQS-triggered Lambda handler as the local queue calls it. The deployed handlers return
 * `SQSBatchResponse` (ReportBatchItemFailures); returning nothing means the whole batch succeeded.
 */
export type QueueHandler = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

export type LocalQueueOptions = Readonly<{
  /** Queue name, used in the event source ARN and in logs. */
  name: string;
  handler: QueueHandler;
  /** Records per handler invocation (the event source mapping's BatchSize). @default 10 */
  batchSize?: number;
  /** How long a received message stays invisible before it is delivered again. @default 30_000 */
  visibilityTimeoutMs?: number;
  /** Receives before a message moves to the dead-letter queue (the redrive policy). @default 5 */
  maxReceiveCount?: number;
  /** Batches handled at the same time (Lambda's concurrency for this event source). @default 2 */
  concurrency?: number;
  /** Called when a handler throws; every record of the batch is then retried. */
  onHandlerError?: (error: unknown, records: readonly SQSRecord[]) => void;
  /** Called when a message moves to the dead-letter queue. */
  onDeadLetter?: (message: DeadLetter) => void;
  /** Epoch milliseconds. @default Date.now */
  now?: () => number;
  /**
   * The work a message is about (a DaemonSet's key), or undefined for none. A message is not delivered while
   * another batch holding a message of its group is in flight; it waits, visible, until that batch ends. This is
   * the Kubernetes workqueue's rule that one key is never processed twice at once: two passes of one DaemonSet side
   * by side only make one of them lose its version race and plan again. Messages of one group in one batch are
   * delivered together (the handler shares one pass among them). @default every message its own group
   */
  groupOf?: (body: string) => string | undefined;
}>;

/** A message parked after `maxReceiveCount` failed receives, as `everynode` lists it. */
export type DeadLetter = Readonly<{
  messageId: string;
  body: string;
  receiveCount: number;
  sentTimestamp: number;
  movedAt: number;
}>;

export type LocalQueueStats = Readonly<{ visible: number; delayed: number; inFlight: number; deadLetters: number }>;

const MAX_DELAY_SECONDS = 900;

/**
 * An in-process stand-in for an SQS standard queue with a Lambda event source mapping, keeping the
 * semantics handlers rely on: at-least-once delivery in batches, a visibility timeout after which failed
 * or unacknowledged records come back, partial batch responses, a dead-letter queue after
 * `maxReceiveCount` receives, per-message delays and the record attributes Lambda passes.
 * Delivery is event-driven: a send wakes the queue at once, a timer wakes it when a delay or a
 * visibility timeout ends.
 *
 * @example
 * const queue = new LocalQueue({ name: 'reconcile', handler: makeReconcileHandler(deps) });
 * queue.start();
 * queue.send(JSON.stringify({ daemonSet: 'kube-system/fluentd' }), { delaySeconds: 5 });
 */
export class LocalQueue {
  readonly name: string;
  readonly #handler: QueueHandler;
  readonly #batchSize: number;
  readonly #visibilityTimeoutMs: number;
  readonly #maxReceiveCount: number;
  readonly #concurrency: number;
  readonly #options: LocalQueueOptions;
  readonly #now: () => number;
  readonly #messages = new Map<string, StoredMessage>();
  readonly #deadLetters: DeadLetter[] = [];
  readonly #active = new Set<Promise<void>>();
  readonly #groups = new WeakMap<StoredMessage, string | undefined>();
  /** The messages received and not yet handled: at most `concurrency × batchSize`, what `#busyGroups` looks at. */
  readonly #received = new Set<StoredMessage>();
  #idleWaiters: (() => void)[] = [];
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #running = false;

  constructor(options: LocalQueueOptions) {
    this.name = options.name;
    this.#handler = options.handler;
    this.#batchSize = options.batchSize ?? 10;
    this.#visibilityTimeoutMs = options.visibilityTimeoutMs ?? 30_000;
    this.#maxReceiveCount = options.maxReceiveCount ?? 5;
    this.#concurrency = options.concurrency ?? 2;
    this.#now = options.now ?? Date.now;
    this.#options = options;
    if (this.#batchSize < 1 || this.#batchSize > 10_000) throw new RangeError(`batchSize must be 1 to 10000`);
    if (this.#maxReceiveCount < 1) throw new RangeError('maxReceiveCount must be at least 1');
    if (this.#concurrency < 1) throw new RangeError('concurrency must be at least 1');
  }

  /** Enqueues one message and returns its id. `delaySeconds` (0 to 900) postpones its first delivery. */
  send(body: string, options: Readonly<{ delaySeconds?: number }> = {}): string {
    const delaySeconds = options.delaySeconds ?? 0;
    if (!(delaySeconds >= 0 && delaySeconds <= MAX_DELAY_SECONDS)) {
      throw new RangeError(`delaySeconds must be 0 to ${MAX_DELAY_SECONDS}, got ${delaySeconds}`);
    }
    const now = this.#now();
    const messageId = randomUUID();
    this.#messages.set(messageId, {
      messageId,
      body,
      sentTimestamp: now,
      receiveCount: 0,
      visibleAt: now + delaySeconds * 1000,
      inFlight: false,
    });
    this.#wake();
    return messageId;
  }

  /** The queue still holds the message: queued, delayed or in flight (not yet acknowledged, nor dead-lettered). */
  holds(messageId: string): boolean {
    return this.#messages.has(messageId);
  }

  /** Begins delivering messages (messages sent before are kept). */
  start(): void {
    this.#running = true;
    this.#wake();
  }

  /** Stops delivering and waits for the batches in flight; undelivered messages stay queued. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#clearTimer();
    while (this.#active.size > 0) await Promise.allSettled([...this.#active]);
  }

  /** Resolves once the queue holds no message (delayed or awaiting retry included) and nothing is in flight. */
  drained(): Promise<void> {
    if (this.#isDrained()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** The dead-letter queue, oldest first. */
  deadLetters(): readonly DeadLetter[] {
    return [...this.#deadLetters];
  }

  /** Moves every dead letter back to the queue as a new message (SQS's dead-letter redrive). */
  redriveDeadLetters(): number {
    const letters = this.#deadLetters.splice(0);
    for (const letter of letters) this.send(letter.body);
    return letters.length;
  }

  stats(): LocalQueueStats {
    const now = this.#now();
    let visible = 0;
    let delayed = 0;
    let inFlight = 0;
    for (const message of this.#messages.values()) {
      if (message.inFlight) inFlight += 1;
      else if (message.visibleAt <= now) visible += 1;
      else delayed += 1;
    }
    return { visible, delayed, inFlight, deadLetters: this.#deadLetters.length };
  }

  #wake(): void {
    if (this.#running) queueMicrotask(() => this.#pump());
  }

  #pump(): void {
    if (!this.#running) return;
    while (this.#active.size < this.#concurrency) {
      const batch = this.#receive(this.#now());
      if (batch.length === 0) break;
      const delivery = this.#deliver(batch).finally(() => {
        this.#active.delete(delivery);
        this.#pump();
      });
      this.#active.add(delivery);
    }
    this.#scheduleTimer();
    this.#notifyIfDrained();
  }

  /**
   * Takes up to one batch of visible messages, parking those past their receive limit and holding back those whose
   * group another batch has in flight.
   */
  #receive(now: number): StoredMessage[] {
    const batch: StoredMessage[] = [];
    const busy = this.#busyGroups(now);
    for (const message of this.#messages.values()) {
      if (batch.length === this.#batchSize) break;
      if (message.visibleAt > now) continue;
      if (this.#isHeldBack(message, busy)) continue;
      if (message.receiveCount >= this.#maxReceiveCount) {
        this.#moveToDeadLetterQueue(message, now);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceiveTimestamp ??= now;
      message.visibleAt = now + this.#visibilityTimeoutMs;
      message.receiptHandle = randomUUID();
      message.inFlight = true;
      this.#received.add(message);
      batch.push(message);
    }
    return batch;
  }

  /**
   * The groups of the messages in flight (none without `groupOf`). A message whose visibility timeout ended holds
   * its group no longer: it is due again, as SQS would redeliver it.
   */
  #busyGroups(now: number): ReadonlySet<string> {
    const busy = new Set<string>();
    if (this.#options.groupOf === undefined) return busy;
    for (const message of this.#received) {
      const group = message.visibleAt > now ? this.#groupOf(message) : undefined;
      if (group !== undefined) busy.add(group);
    }
    return busy;
  }

  #isHeldBack(message: StoredMessage, busy: ReadonlySet<string>): boolean {
    if (busy.size === 0) return false;
    const group = this.#groupOf(message);
    return group !== undefined && busy.has(group);
  }

  #groupOf(message: StoredMessage): string | undefined {
    const groupOf = this.#options.groupOf;
    if (groupOf === undefined) return undefined;
    if (!this.#groups.has(message)) this.#groups.set(message, groupOf(message.body));
    return this.#groups.get(message);
  }

  async #deliver(batch: readonly StoredMessage[]): Promise<void> {
    const records = batch.map((message) => toSqsRecord(message, this.name));
    let failed: ReadonlySet<string>;
    try {
      const response = await this.#handler({ Records: records });
      failed = failedMessageIds(response, batch);
    } catch (error) {
      this.#options.onHandlerError?.(error, records);
      failed = new Set(batch.map((message) => message.messageId));
    }
    for (const [index, message] of batch.entries()) {
      const handled = this.#messages.get(message.messageId);
      // A message redelivered meanwhile (handler slower than the visibility timeout) belongs to its newer receive.
      if (handled === undefined || handled.receiptHandle !== records[index]?.receiptHandle) continue;
      handled.inFlight = false;
      this.#received.delete(handled);
      if (!failed.has(message.messageId)) this.#messages.delete(message.messageId);
    }
  }

  #moveToDeadLetterQueue(message: StoredMessage, now: number): void {
    this.#messages.delete(message.messageId);
    this.#received.delete(message);
    const letter: DeadLetter = {
      messageId: message.messageId,
      body: message.body,
      receiveCount: message.receiveCount,
      sentTimestamp: message.sentTimestamp,
      movedAt: now,
    };
    this.#deadLetters.push(letter);
    this.#options.onDeadLetter?.(letter);
  }

  #scheduleTimer(): void {
    let next = Number.POSITIVE_INFINITY;
    const now = this.#now();
    for (const message of this.#messages.values()) {
      if (message.visibleAt > now && message.visibleAt < next) next = message.visibleAt;
    }
    if (next === this.#timerAt) return;
    this.#clearTimer();
    if (next === Number.POSITIVE_INFINITY) return;
    this.#timerAt = next;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#timerAt = Number.POSITIVE_INFINITY;
        this.#pump();
      },
      Math.max(0, next - now),
    );
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
  }

  #isDrained(): boolean {
    return this.#messages.size === 0 && this.#active.size === 0;
  }

  #notifyIfDrained(): void {
    if (!this.#isDrained() || this.#idleWaiters.length === 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
