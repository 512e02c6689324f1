import type { SQSRecord } from 'aws-lambda';
import type { DaemonSetKey } from '../../lib/model/daemon-set.js';
import type { ReconcileMessage, WorkQueue } from '../../lib/ports/work-queue.js';

type Message = Readonly<{ id: string; body: string; sentAt: number; visibleAt: number }>;

/**
 * An in-process standard queue for the benchmarks: delays, batches of up to ten, first in first out
 * among visible messages. Handlers here never fail, so there is no redelivery to model.
 */
export class BenchQueue {
  readonly name: string;
  readonly #now: () => number;
  #messages: Message[] = [];
  #sequence = 0;
  sent = 0;

  constructor(name: string, now: () => number) {
    this.name = name;
    this.#now = now;
  }

  send(body: string, delaySeconds = 0): void {
    this.#sequence += 1;
    this.sent += 1;
    const now = this.#now();
    this.#messages.push({
      id: `${this.name}-${this.#sequence}`,
      body,
      sentAt: now,
      visibleAt: now + delaySeconds * 1000,
    });
  }

  get size(): number {
    return this.#messages.length;
  }

  /** Takes up to `max` visible messages, as Lambda's event source mapping would hand them over. */
  receive(max = 10): SQSRecord[] {
    const now = this.#now();
    const taken: Message[] = [];
    const kept: Message[] = [];
    for (const message of this.#messages) {
      if (taken.length < max && message.visibleAt <= now) taken.push(message);
      else kept.push(message);
    }
    this.#messages = kept;
    return taken.map((message) => this.#toRecord(message));
  }

  nextVisibleAt(): number | undefined {
    let earliest: number | undefined;
    for (const message of this.#messages)
      if (earliest === undefined || message.visibleAt < earliest) earliest = message.visibleAt;
    return earliest;
  }

  #toRecord(message: Message): SQSRecord {
    return {
      messageId: message.id,
      receiptHandle: message.id,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(message.sentAt),
        SenderId: 'bench',
        ApproximateFirstReceiveTimestamp: String(this.#now()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:local:000000000000:${this.name}`,
      awsRegion: 'local',
    };
  }
}

/** The reconcile `WorkQueue` on a bench queue, deduplicating keys within one call as `SqsWorkQueue` does. */
export class BenchWorkQueue implements WorkQueue {
  readonly #queue: BenchQueue;

  constructor(queue: BenchQueue) {
    this.#queue = queue;
  }

  async enqueue(keys: readonly DaemonSetKey[], delaySeconds = 0): Promise<void> {
    for (const key of new Set(keys)) {
      const message: ReconcileMessage = { daemonSet: key };
      this.#queue.send(JSON.stringify(message), delaySeconds);
    }
  }

  async enqueueGateChecks(nodes: readonly string[], delaySeconds = 0): Promise<void> {
    for (const node of new Set(nodes)) {
      const message: ReconcileMessage = { node };
      this.#queue.send(JSON.stringify(message), delaySeconds);
    }
  }
}
