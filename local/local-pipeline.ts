import { makeIngestHandler } from '../functions/ingest-handler.js';
import { makeReconcileHandler } from '../functions/reconcile-handler.js';
import { makeResyncHandler } from '../functions/resync-handler.js';
import type { IngestMessage, IngestQueue } from '../lib/messages/ingest-message.js';
import { parseReconcileMessage } from '../lib/messages/parse-reconcile-message.js';
import type { DaemonSetKey } from '../lib/model/daemon-set.js';
import type { ClusterStore } from '../lib/ports/cluster-store.js';
import type { HeartbeatStore } from '../lib/ports/heartbeat-store.js';
import type { LifecycleActions } from '../lib/ports/lifecycle-actions.js';
import type { ReconcileMessage, WorkQueue } from '../lib/ports/work-queue.js';
import { createLocalObservability } from './local-observability.js';
import { type DeadLetter, LocalQueue } from './local-queue.js';
import type { QueueReceipts } from './node-agents.js';

export type LocalPipelineOptions = Readonly<{
  store: ClusterStore;
  log: (line: string) => void;
  /** How long a failed message waits before it is delivered again. @default 10_000 */
  visibilityTimeoutMs?: number;
  /** Called after every reconcile batch: the moment node agents have new pods to look at. */
  afterReconcile?: () => void;
  /** The simulated Auto Scaling lifecycle hooks (`GET /local/lifecycle-actions`). */
  lifecycleActions?: LifecycleActions;
  /** Nodes joining from EC2 and Auto Scaling events are gated, as the stack sets it with lifecycle hooks. */
  gateJoins?: boolean;
  /** Where AWS IoT presence events put on the ingest queue (`ingestRaw`) are stored. */
  heartbeats?: Pick<HeartbeatStore, 'recordPresence'>;
  /**
   * `local`: reconcile batches two at a time, one DaemonSet never in two at once (a Kubernetes workqueue's rule).
   * `stack`: as the deployed stack's standard queue delivers them (infra/sizing.ts: up to 10 at a time, no grouping),
   * for measuring what the stack's passes do under load. @default 'local'
   */
  queues?: 'local' | 'stack';
}>;

/** The deployed pipeline, in process: ingest queue → ingest handler → reconcile queue → reconcile handler. */
export type LocalPipeline = Readonly<{
  ingest: IngestQueue & QueueReceipts;
  /** Puts a raw body (an EventBridge event, as EventBridge delivers it) on the ingest queue. */
  ingestRaw: (body: string) => void;
  /** Puts every DaemonSet on the reconcile queue (the scheduled resync function). */
  resync: () => Promise<void>;
  deadLetters: () => Readonly<Record<'ingest' | 'reconcile', readonly DeadLetter[]>>;
  start: () => void;
  stop: () => Promise<void>;
}>;

/** SQS redrive policy of both queues, as the stack configures it. */
const MAX_RECEIVE_COUNT = 5;

/** How the stack's reconcile event source delivers (infra/sizing.ts), for `queues: 'stack'`. */
export const STACK_RECONCILE_QUEUE = { concurrency: 10, batchSize: 5 } as const;

/** SQS's longest message delay: longer re-checks wait 15 minutes. */
const MAX_DELAY_SECONDS = 900;

/**
 * Wires the same SQS handlers Lambda runs (`makeIngestHandler`, `makeReconcileHandler`, the resync) to
 * in-process queues with SQS semantics, so running locally exercises the production code path.
 */
export function createLocalPipeline(options: LocalPipelineOptions): LocalPipeline {
  const { store, log } = options;
  const visibilityTimeoutMs = options.visibilityTimeoutMs ?? 10_000;
  // The reconcile handler puts work back on its own queue, so the queue exists before the handler.
  let handleReconcile: ReturnType<typeof makeReconcileHandler> | undefined;
  const queueOptions = (name: string) => ({
    name,
    visibilityTimeoutMs,
    maxReceiveCount: MAX_RECEIVE_COUNT,
    onHandlerError: (error: unknown) => log(`${name}: handler failed, the batch will be retried: ${describe(error)}`),
    onDeadLetter: (letter: DeadLetter) =>
      log(`${name}: message ${letter.messageId} moved to the dead-letter queue after ${letter.receiveCount} receives`),
  });
  const reconcileQueue = new LocalQueue({
    ...queueOptions('everynode-reconcile'),
    ...(options.queues === 'stack' ? STACK_RECONCILE_QUEUE : { groupOf: daemonSetOf }),
    handler: async (event) => {
      try {
        return await required(handleReconcile)(event);
      } finally {
        options.afterReconcile?.();
      }
    },
  });
  const workQueue = new LocalWorkQueue(reconcileQueue);
  const now = Date.now;
  const lifecycle = options.lifecycleActions === undefined ? {} : { lifecycleActions: options.lifecycleActions };
  const ingestQueue = new LocalQueue({
    ...queueOptions('everynode-ingest'),
    // The stack's ingest concurrency (infra/sizing.ts): facts of different batches are stored side by side.
    concurrency: 5,
    handler: makeIngestHandler({
      store,
      workQueue,
      observability: createLocalObservability('ingest', log),
      now,
      source: 'everynode-ingest',
      ...lifecycle,
      eventBridge: { gateJoins: options.gateJoins ?? false },
      ...(options.heartbeats === undefined ? {} : { heartbeats: options.heartbeats }),
    }),
  });
  handleReconcile = makeReconcileHandler({
    store,
    workQueue,
    observability: createLocalObservability('reconcile', log),
    now,
    source: 'everynode-reconcile',
    ...lifecycle,
  });
  const resync = makeResyncHandler({ store, workQueue, observability: createLocalObservability('resync', log) });
  return {
    ingest: new LocalIngestQueue(ingestQueue),
    ingestRaw: (body) => ingestQueue.send(body),
    resync: async () => {
      await resync();
    },
    deadLetters: () => ({ ingest: ingestQueue.deadLetters(), reconcile: reconcileQueue.deadLetters() }),
    start: () => {
      ingestQueue.start();
      reconcileQueue.start();
    },
    stop: async () => {
      await Promise.all([ingestQueue.stop(), reconcileQueue.stop()]);
    },
  };
}

function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('the local pipeline is not wired yet');
  return value;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The ingest queue in the local control plane: the same message bodies as `SqsIngestQueue`, and receipts for the
 * simulated agents (`QueueReceipts`), which send no copy of a report the queue still holds.
 */
class LocalIngestQueue implements IngestQueue, QueueReceipts {
  readonly #queue: LocalQueue;

  constructor(queue: LocalQueue) {
    this.#queue = queue;
  }

  async send(messages: readonly IngestMessage[]): Promise<void> {
    await this.sendTracked(messages);
  }

  readonly sendTracked = async (messages: readonly IngestMessage[]): Promise<readonly string[]> =>
    messages.map((message) => this.#queue.send(JSON.stringify(message)));

  readonly holds = (messageId: string): boolean => this.#queue.holds(messageId);
}

/** The reconcile queue in the local control plane: the same message bodies and delays as `SqsWorkQueue`. */
class LocalWorkQueue implements WorkQueue {
  readonly #queue: LocalQueue;

  constructor(queue: LocalQueue) {
    this.#queue = queue;
  }

  async enqueue(keys: readonly DaemonSetKey[], delaySeconds?: number): Promise<void> {
    const delay = Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delaySeconds ?? 0)));
    for (const key of new Set(keys)) {
      const message: ReconcileMessage = { daemonSet: key };
      this.#queue.send(JSON.stringify(message), { delaySeconds: delay });
    }
  }

  async enqueueGateChecks(nodes: readonly string[], delaySeconds?: number): Promise<void> {
    const delay = Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delaySeconds ?? 0)));
    for (const node of new Set(nodes)) {
      const message: ReconcileMessage = { node };
      this.#queue.send(JSON.stringify(message), { delaySeconds: delay });
    }
  }
}

/** The DaemonSet a reconcile message is about; a malformed body has none (the handler parks it). */
function daemonSetOf(body: string): string | undefined {
  try {
    const message = parseReconcileMessage(body);
    return 'daemonSet' in message ? message.daemonSet : undefined;
  } catch {
    return undefined;
  }
}
