import type { SQSRecord } from 'aws-lambda';
import type { FromEventBridgeOptions } from '../lib/messages/from-eventbridge-event.js';
import { parseIngestMessage } from '../lib/messages/parse-ingest-message.js';
import type { DaemonSetKey } from '../lib/model/daemon-set.js';
import type { ClusterStore } from '../lib/ports/cluster-store.js';
import type { HeartbeatStore } from '../lib/ports/heartbeat-store.js';
import type { LifecycleActions } from '../lib/ports/lifecycle-actions.js';
import type { WorkQueue } from '../lib/ports/work-queue.js';
import { applyIngestEvent } from '../lib/reconcile/apply-ingest-event.js';
import { assertStorable } from '../lib/store/dynamo/item-size.js';
import { acknowledgeTerminalErrors } from './shared/acknowledge-terminal-error.js';
import { METRIC, MetricUnit, type Observability } from './shared/observability.js';
import { type SqsBatchHandler, toSqsBatchHandler } from './shared/to-sqs-batch-handler.js';
import { PENDING_TIMEOUT_SECONDS, unlessPending } from './shared/unless-pending.js';

export type IngestHandlerDeps = Readonly<{
  store: ClusterStore;
  /** The reconcile queue. */
  workQueue: WorkQueue;
  observability: Observability;
  /** Epoch milliseconds, for rejection times. */
  now: () => number;
  /** Rejection source when a record has no queue ARN. @default 'ingest' */
  source?: string;
  /**
   * How old a DaemonSet's pending-reconcile marker may be before a fact enqueues again anyway (the message
   * that set it is presumed lost). @default PENDING_TIMEOUT_SECONDS (60)
   */
  pendingTimeoutSeconds?: number;
  /** Completes Auto Scaling lifecycle actions (launch gates, terminations). */
  lifecycleActions?: LifecycleActions;
  /** Seconds between lifecycle heartbeats while a launch hook waits for its gate. */
  heartbeatIntervalSeconds?: number;
  /** How EventBridge events become facts (whether joins are gated). */
  eventBridge?: FromEventBridgeOptions;
  /** Where AWS IoT presence events (node agents' MQTT connections) are stored; without it they are retried. */
  heartbeats?: Pick<HeartbeatStore, 'recordPresence'>;
}>;

/**
 * The ingest function: each record is a fact. It is parsed and stored (conditional, idempotent); then the
 * DaemonSets the batch's facts can affect are put on the reconcile queue, at most once each per batch, and
 * only if no reconcile of that DaemonSet is already pending (`markReconcilePending`, see
 * docs/decisions/0004-coalesced-reconcile.md): a burst of joins makes about one message per DaemonSet in
 * flight, not one per batch. Malformed facts are recorded as rejections and acknowledged; any other failure
 * fails only that record. If the enqueue fails, every record that stored a fact fails with it and comes back:
 * its fact is then `unchanged`, and a redelivered record enqueues its keys whatever the marker says (the
 * marker may be its own, set before the enqueue failed).
 */
export function makeIngestHandler(deps: IngestHandlerDeps): SqsBatchHandler {
  const { logger, metrics } = deps.observability;
  const terminalDeps = { ...deps, source: deps.source ?? 'ingest' };
  const nodeDeps = {
    store: deps.store,
    now: deps.now,
    ...(deps.lifecycleActions === undefined ? {} : { lifecycleActions: deps.lifecycleActions }),
    ...(deps.heartbeatIntervalSeconds === undefined ? {} : { heartbeatIntervalSeconds: deps.heartbeatIntervalSeconds }),
    ...(deps.heartbeats === undefined ? {} : { heartbeats: deps.heartbeats }),
  };
  const pendingDeps = {
    store: deps.store,
    logger,
    now: deps.now,
    ...(deps.pendingTimeoutSeconds === undefined ? {} : { timeoutSeconds: deps.pendingTimeoutSeconds }),
  };

  const timeoutSeconds = deps.pendingTimeoutSeconds ?? PENDING_TIMEOUT_SECONDS;

  return async (event, context) => {
    const affectedBy = new Map<string, Affected>();
    // Keys a node path marked pending in its own step write (decision 0004): enqueued without marking, whatever
    // becomes of the record that marked them, since nothing else will enqueue them while the marker is fresh.
    const marked = new Set<DaemonSetKey>();
    let coalescedByNodePath = 0;
    const pendingMarks = {
      timeoutSeconds,
      marked: (key: DaemonSetKey) => marked.add(key),
      coalesced: () => {
        coalescedByNodePath += 1;
      },
    };
    const handleRecord = (record: SQSRecord): Promise<void> =>
      acknowledgeTerminalErrors(record, terminalDeps, async () => {
        const redelivered = isRedelivery(record);
        const recordDeps = redelivered ? nodeDeps : { ...nodeDeps, pendingMarks };
        const fact = parseIngestMessage(record.body, record.attributes, deps.now(), deps.eventBridge);
        assertStorable(fact);
        if (fact.type === 'Ignored') {
          logger.info('ignoring event', { messageId: record.messageId, reason: fact.reason });
          metrics.addMetric(METRIC.ignoredEvents, MetricUnit.Count, 1);
          return;
        }
        const applied = await applyIngestEvent(fact, recordDeps);
        // The gate's timer (a pod turning available, the deadline) is a delayed check on the reconcile queue;
        // sent before the record is acknowledged, so a failed send brings the fact (and the check) back.
        if (applied.gateRecheck !== undefined) {
          await deps.workQueue.enqueueGateChecks([applied.gateRecheck.node], applied.gateRecheck.afterSeconds);
        }
        if (applied.outcome === 'stored') metrics.addMetric(METRIC.factsStored, MetricUnit.Count, 1);
        affectedBy.set(record.messageId, { keys: applied.affected, redelivered });
        logger.debug('fact handled', { messageId: record.messageId, type: fact.type, outcome: applied.outcome });
      });

    const response = await toSqsBatchHandler(handleRecord, deps.observability)(event, context);
    const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    const stored = [...affectedBy].filter(([messageId]) => !failed.has(messageId));
    const keys = [...new Set(stored.flatMap(([, affected]) => affected.keys))].filter((key) => !marked.has(key));
    if (coalescedByNodePath > 0) metrics.addMetric(METRIC.reconcilesCoalesced, MetricUnit.Count, coalescedByNodePath);
    if (keys.length === 0 && marked.size === 0) return response;
    const forced = new Set(stored.flatMap(([, affected]) => (affected.redelivered ? affected.keys : [])));
    try {
      const unmarked = await unlessPending(keys, pendingDeps, forced);
      metrics.addMetric(METRIC.reconcilesCoalesced, MetricUnit.Count, keys.length - unmarked.length);
      const due = [...marked, ...unmarked];
      if (due.length > 0) await deps.workQueue.enqueue(due);
      return response;
    } catch (error) {
      logger.error('could not enqueue reconciles; the batch comes back', { error, keys: keys.length });
      const retried = stored.map(([messageId]) => ({ itemIdentifier: messageId }));
      return { batchItemFailures: [...response.batchItemFailures, ...retried] };
    }
  };
}

/** The DaemonSets one stored record may affect, and whether SQS delivered it before. */
type Affected = Readonly<{ keys: readonly DaemonSetKey[]; redelivered: boolean }>;

/** SQS delivered this record before: an earlier attempt may have set a marker and then failed to enqueue. */
function isRedelivery(record: SQSRecord): boolean {
  return Number(record.attributes.ApproximateReceiveCount) > 1;
}
