import type { SQSRecord } from 'aws-lambda';
import { parseIngestMessage } from '../lib/events/parse-ingest-message.js';
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
 * The ingest function: each record is a fact. It is parsed, stored (conditional, idempotent), and the
 * DaemonSets it can affect are put on the reconcile queue. Malformed facts are recorded as rejections and
 * acknowledged; any other failure fails only that record.
 */
export function makeIngestHandler(deps: IngestHandlerDeps): SqsBatchHandler {
  const { logger, metrics } = deps.observability;
  const terminalDeps = { ...deps, source: deps.source ?? 'ingest' };

  const handleRecord = (record: SQSRecord): Promise<void> =>
    acknowledgeTerminalErrors(record, terminalDeps, async () => {
      const event = parseIngestMessage(record.body, record.attributes);
      if (event.type === 'Ignored') {
        logger.info('ignoring event', { messageId: record.messageId, reason: event.reason });
        metrics.addMetric(METRIC.ignoredEvents, MetricUnit.Count, 1);
        return;
      }
      const applied = await applyIngestEvent(event, deps.store);
      if (applied.outcome === 'stored') metrics.addMetric(METRIC.factsStored, MetricUnit.Count, 1);
      if (applied.affected.length > 0) await deps.workQueue.enqueue(applied.affected);
      logger.debug('fact handled', {
        messageId: record.messageId,
        type: event.type,
        outcome: applied.outcome,
        enqueued: applied.affected.length,
      });
    });

  return toSqsBatchHandler(handleRecord, deps.observability);
}
