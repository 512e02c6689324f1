import { createHash } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';
import type { ClusterStore } from '../../lib/ports/cluster-store.js';
import { TerminalError } from '../../lib/ports/errors.js';
import { METRIC, MetricUnit, type Observability } from './observability.js';

/** How much of a refused body is kept with its rejection (DynamoDB items stop at 400 KB). */
export const MAX_REJECTED_BODY_CHARS = 8 * 1024;

export type TerminalErrorDeps = Readonly<{
  store: ClusterStore;
  observability: Observability;
  now: () => number;
  /** Names the rejection's source when the record carries no queue ARN. */
  source: string;
}>;

/**
 * Runs one record's work. A `TerminalError` (retrying cannot help) is logged, counted, recorded as a
 * rejection and swallowed, so SQS deletes the message and the rest of the batch is unaffected; any other
 * error propagates and becomes a batch item failure (redelivery, then the dead-letter queue). If
 * recording the rejection itself fails, that failure propagates too: the message comes back and is
 * refused again, and the rejection's id (the message id) keeps the record single.
 */
export async function acknowledgeTerminalErrors(
  record: SQSRecord,
  deps: TerminalErrorDeps,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof TerminalError)) throw error;
    const { logger, metrics } = deps.observability;
    logger.error('acknowledging unrecoverable message', { messageId: record.messageId, reason: error.message });
    metrics.addMetric(METRIC.terminalFailures, MetricUnit.Count, 1);
    await deps.store.recordRejection({
      id: record.messageId === '' ? hashOf(record.body) : record.messageId,
      source: queueName(record.eventSourceARN) ?? deps.source,
      reason: error.message,
      body: truncated(record.body),
      time: new Date(deps.now()).toISOString(),
    });
  }
}

function hashOf(body: string): string {
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}

function queueName(arn: string | undefined): string | undefined {
  const name = arn?.split(':').at(-1);
  return name === undefined || name === '' ? undefined : name;
}

function truncated(body: string): string {
  if (body.length <= MAX_REJECTED_BODY_CHARS) return body;
  return `${body.slice(0, MAX_REJECTED_BODY_CHARS)}… (${body.length - MAX_REJECTED_BODY_CHARS} more characters)`;
}
