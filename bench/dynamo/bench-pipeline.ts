import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { makeIngestHandler } from '../../functions/ingest-handler.js';
import { makeReconcileHandler } from '../../functions/reconcile-handler.js';
import { makeResyncHandler } from '../../functions/resync-handler.js';
import type { IngestMessage } from '../../lib/messages/ingest-message.js';
import { type DaemonSetKey, fromDaemonSetKey } from '../../lib/model/daemon-set.js';
import type { PodStatusReport } from '../../lib/model/pod.js';
import { aRecordingObservability } from '../../test/fixtures/events/recording-observability.js';
import { BenchQueue, BenchWorkQueue } from './bench-queue.js';
import type { MeteredStore } from './metered-store.js';

/** Wall-clock time, plus whatever delays the pipeline skipped instead of waiting them out. */
export class BenchClock {
  #skipped = 0;
  readonly now = (): number => Date.now() + this.#skipped;

  /** Jumps forward to `time` (a delayed message's visibility) without waiting. */
  skipTo(time: number): void {
    const gap = time - this.now();
    if (gap > 0) this.#skipped += gap;
  }

  get skippedMs(): number {
    return this.#skipped;
  }
}

/** Records per handler invocation, as the stack's event source mappings set them (infra/reconciler-stack.ts). */
export const BATCH_SIZE = { ingest: 10, reconcile: 5 } as const;

export type DrainOptions = Readonly<{
  /** Simulated node agents: after each reconcile batch, every new pod reports Running and Ready and every terminating pod reports gone. */
  agents: boolean;
  /** Ingest and reconcile take turns, one batch each (two consumers of equal speed), instead of ingest first. */
  interleave?: boolean;
  /**
   * Stops early when this holds after a reconcile batch (the queues may not be empty then). The time it
   * takes (it may read the store) is not counted in `wallMs`.
   */
  until?: () => boolean | Promise<boolean>;
  /**
   * Called after every batch, ingest or reconcile (work may finish in either), to note when something
   * became true; its time is not counted in `wallMs` either.
   */
  watch?: () => void | Promise<void>;
  /** Called every few seconds with a progress line. */
  progress?: (line: string) => void;
}>;

export type DrainStats = Readonly<{
  wallMs: number;
  ingestRecords: number;
  reconcileRecords: number;
  agentReports: number;
  /** Messages still queued when `until` stopped the drain. */
  leftInQueues: number;
  /** Where `wallMs` went: the ingest handler, the reconcile handler, and the simulated agents looking at their pods. */
  ingestMs: number;
  reconcileMs: number;
  agentsMs: number;
}>;

/**
 * The serverless pipeline in one process: the real ingest and reconcile handlers (which, like Powertools
 * in Lambda, handle the records of one batch concurrently), the DynamoDB store, and two in-process
 * queues. Delivery order: the ingest queue is emptied first, one batch at a time or `ingestConcurrency` side by
 * side (or, with `interleave`, one such round and one reconcile batch in turn), then one reconcile batch, then the agents' reports on what they now see; delays are skipped.
 */
export class BenchPipeline {
  readonly clock: BenchClock;
  readonly store: MeteredStore;
  readonly #ingestQueue: BenchQueue;
  readonly #reconcileQueue: BenchQueue;
  readonly #ingest: (event: SQSEvent) => Promise<unknown>;
  readonly #reconcile: (event: SQSEvent) => Promise<unknown>;
  readonly #resync: () => Promise<unknown>;
  /** Pods the agents already reported on: `ready:<name>` and `gone:<name>`. */
  readonly #reported = new Set<string>();

  /** Ingest batches handled side by side. */
  readonly #ingestConcurrency: number;

  constructor(store: MeteredStore, clock: BenchClock, ingestConcurrency = 1) {
    this.store = store;
    this.clock = clock;
    this.#ingestConcurrency = ingestConcurrency;
    this.#ingestQueue = new BenchQueue('everynode-ingest', clock.now);
    this.#reconcileQueue = new BenchQueue('everynode-reconcile', clock.now);
    const deps = {
      store,
      workQueue: new BenchWorkQueue(this.#reconcileQueue),
      observability: aRecordingObservability(),
      now: clock.now,
    };
    this.#ingest = makeIngestHandler(deps);
    this.#reconcile = makeReconcileHandler(deps);
    this.#resync = makeResyncHandler(deps);
  }

  /** The periodic resync, as its schedule invokes it: every DaemonSet put on the reconcile queue. */
  async resync(): Promise<void> {
    await this.#resync();
  }

  send(...messages: readonly IngestMessage[]): void {
    for (const message of messages) this.#ingestQueue.send(JSON.stringify(message));
  }

  get queued(): number {
    return this.#ingestQueue.size + this.#reconcileQueue.size;
  }

  async drain(options: DrainOptions): Promise<DrainStats> {
    const start = performance.now();
    let ingestRecords = 0;
    let reconcileRecords = 0;
    let agentReports = 0;
    let lastProgress = start;
    let checking = 0;
    let ingestMs = 0;
    let reconcileMs = 0;
    let agentsMs = 0;
    for (;;) {
      // One batch, or up to `ingestConcurrency` batches side by side, as Lambda runs them.
      const batches: SQSRecord[][] = [];
      for (let batch = 0; batch < this.#ingestConcurrency; batch += 1) {
        const records = this.#ingestQueue.receive(BATCH_SIZE.ingest);
        if (records.length === 0) break;
        batches.push(records);
      }
      const facts = batches.flat();
      if (facts.length > 0) {
        ingestRecords += facts.length;
        ingestMs -= performance.now();
        await Promise.all(batches.map((records) => this.#ingest({ Records: records })));
        ingestMs += performance.now();
        checking += await timeOf(options.watch);
        if (options.interleave !== true) continue;
      }
      const work = this.#reconcileQueue.receive(BATCH_SIZE.reconcile);
      if (work.length > 0) {
        reconcileRecords += work.length;
        reconcileMs -= performance.now();
        await this.#reconcile({ Records: work });
        reconcileMs += performance.now();
        if (options.agents) {
          agentsMs -= performance.now();
          const reports = await this.#agentReports(keysOf(work));
          agentsMs += performance.now();
          this.send(...reports.map((report): IngestMessage => ({ type: 'PodStatusReported', report })));
          agentReports += reports.length;
        }
        checking += await timeOf(options.watch);
        if (options.until !== undefined) {
          const began = performance.now();
          const done = await options.until();
          checking += performance.now() - began;
          if (done) break;
        }
        if (options.progress !== undefined && performance.now() - lastProgress > 2000) {
          lastProgress = performance.now();
          options.progress(`${reconcileRecords} reconcile messages, ${this.queued} queued`);
        }
        continue;
      }
      if (facts.length > 0) continue;
      const next = [this.#ingestQueue.nextVisibleAt(), this.#reconcileQueue.nextVisibleAt()]
        .filter((time): time is number => time !== undefined)
        .sort((a, b) => a - b)[0];
      if (next === undefined) break;
      this.clock.skipTo(next);
    }
    return {
      wallMs: performance.now() - start - checking,
      ingestRecords,
      reconcileRecords,
      agentReports,
      leftInQueues: this.queued,
      ingestMs,
      reconcileMs,
      agentsMs,
    };
  }

  /**
   * Setup only: stores the agents' reports on every pod of these DaemonSets straight into the store (no
   * ingest message, so no reconcile pass per report), then reconciles each DaemonSet until it settles.
   */
  async settleAgents(keys: readonly DaemonSetKey[]): Promise<void> {
    const reports = await this.#agentReports(keys);
    for (const report of reports) await this.store.putPodStatus(report);
    for (const key of keys) this.#reconcileQueue.send(JSON.stringify({ daemonSet: key }));
    await this.drain({ agents: false });
  }

  /**
   * What node agents report after looking at their pods (read from the store, as agents list the pods
   * bound to their node): each pod not yet Running and Ready becomes so at once, and each terminating pod
   * is confirmed gone. Reading the store, not the written steps, also covers steps that failed after some
   * of their chunks had landed.
   */
  async #agentReports(keys: Iterable<DaemonSetKey>): Promise<PodStatusReport[]> {
    const observedAt = new Date(this.clock.now()).toISOString();
    const reports: PodStatusReport[] = [];
    for (const key of keys) {
      const { namespace, name } = fromDaemonSetKey(key);
      for (const pod of await this.store.agentView(key)) {
        const base = {
          namespace,
          daemonSet: name,
          podName: pod.name,
          nodeName: pod.nodeName,
          revisionHash: pod.revisionHash,
        };
        if (pod.deletionTimestamp !== undefined) {
          if (this.#once(`gone:${pod.name}`)) {
            reports.push({ ...base, phase: 'Succeeded', ready: false, gone: true, observedAt });
          }
        } else if (!(pod.phase === 'Running' && pod.ready) && this.#once(`ready:${pod.name}`)) {
          reports.push({ ...base, phase: 'Running', ready: true, readySince: observedAt, observedAt });
        }
      }
    }
    return reports;
  }

  #once(mark: string): boolean {
    if (this.#reported.has(mark)) return false;
    this.#reported.add(mark);
    return true;
  }
}

/** How long a check took (milliseconds), 0 without one. */
async function timeOf(check: (() => void | Promise<void>) | undefined): Promise<number> {
  if (check === undefined) return 0;
  const began = performance.now();
  await check();
  return performance.now() - began;
}

function keysOf(records: readonly SQSRecord[]): Set<DaemonSetKey> {
  return new Set(records.map((record) => (JSON.parse(record.body) as { daemonSet: DaemonSetKey }).daemonSet));
}
