import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Observability } from './observability.js';

/** An SQS batch handler: `handler(event, context)` as Lambda calls it, or as the local queue runner does. */
export type SqsBatchHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

/**
 * Turns a per-record function into an SQS batch handler with partial batch responses: a record whose
 * function throws is reported in `batchItemFailures` (and only that record is redelivered). Metrics
 * are published after every invocation.
 */
export function toSqsBatchHandler(
  handleRecord: (record: SQSRecord) => Promise<void>,
  observability: Observability,
): SqsBatchHandler {
  const { metrics } = observability;
  return async (event, context) => {
    // One processor per invocation: it keeps per-batch state, and the local control plane and the chaos
    // suite run invocations of one handler concurrently.
    const processor = new BatchProcessor(EventType.SQS);
    try {
      return await processPartialResponse(event, handleRecord, processor, {
        ...(context === undefined ? {} : { context }),
        // A fully failed batch is reported like a partial one; SQS redelivers every record either way.
        throwOnFullBatchFailure: false,
      });
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  };
}
