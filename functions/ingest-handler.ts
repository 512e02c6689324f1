import type { SQSRecord } from 'aws-lambda';
import { parseIngestMessage } from '../lib/events/parse-ingest-message.js';
import type { DaemonSetKey } from '../lib/model/daemon-set.js';
import { applyIngestEvent } from '../lib/reconcile/apply-ingest-event.js';
import type { WorkQueue } from '../lib/reconcile/work-queue.js';
import type { ClusterStore } from '../lib/store/cluster-store.js';
import { acknowledgeTerminalErrors } from './shared/acknowledge-terminal-error.js';
import { METRIC, MetricUnit, type Observability } from './shared/observability.js';
import { type SqsBatchHandler, toSqsBatchHandler } from './shared/to-sqs-batch-handler.js';

export type IngestHandlerDeps = Readonly<{
  store: ClusterStore;
  /** The reconcile queue. */
  workQueue: WorkQueue;
  observability: Observability;
  /** Epoch milliseconds, for rejection times. */
  now: () => number;
  /** Rejection source when a record has no queue ARN. @default 'ingest' */
  source?: string;
}>;

/**
 * The ingest function: each record is a fact. It is parsed and stored (conditional, idempotent); then the
 * DaemonSets the batch's facts can affect are put on the reconcile queue, once each per batch (ten node
 * joins make one reconcile message per DaemonSet, not ten). Malformed facts are recorded as rejections and
 * acknowledged; any other failure fails only that record. If the enqueue fails, every record that stored a
 * fact fails with it and comes back: its fact is then `unchanged`, but its keys are enqueued again.
 */
export function makeIngestHandler(deps: IngestHandlerDeps): SqsBatchHandler {
  const { logger, metrics } = deps.observability;
  const terminalDeps = { ...deps, source: deps.source ?? 'ingest' };

  return async (event, context) => {
    const affectedBy = new Map<string, readonly DaemonSetKey[]>();
    const handleRecord = (record: SQSRecord): Promise<void> =>
      acknowledgeTerminalErrors(record, terminalDeps, async () => {
        const fact = parseIngestMessage(record.body, record.attributes);
        if (fact.type === 'Ignored') {
          logger.info('ignoring event', { messageId: record.messageId, reason: fact.reason });
          metrics.addMetric(METRIC.ignoredEvents, MetricUnit.Count, 1);
          return;
        }
        const applied = await applyIngestEvent(fact, deps.store);
        if (applied.outcome === 'stored') metrics.addMetric(METRIC.factsStored, MetricUnit.Count, 1);
        affectedBy.set(record.messageId, applied.affected);
        logger.debug('fact handled', { messageId: record.messageId, type: fact.type, outcome: applied.outcome });
      });

    const response = await toSqsBatchHandler(handleRecord, deps.observability)(event, context);
    const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    const stored = [...affectedBy].filter(([messageId]) => !failed.has(messageId));
    const keys = [...new Set(stored.flatMap(([, affected]) => affected))];
    if (keys.length === 0) return response;
    try {
      await deps.workQueue.enqueue(keys);
      return response;
    } catch (error) {
      logger.error('could not enqueue reconciles; the batch comes back', { error, keys: keys.length });
      const retried = stored.map(([messageId]) => ({ itemIdentifier: messageId }));
      return { batchItemFailures: [...response.batchItemFailures, ...retried] };
    }
  };
}
