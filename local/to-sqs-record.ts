import { createHash } from 'node:crypto';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';

/** A message as the local queue holds it between send and delete. */
export type StoredMessage = {
  readonly messageId: string;
  readonly body: string;
  readonly sentTimestamp: number;
  receiveCount: number;
  firstReceiveTimestamp?: number;
  /** Epoch ms from which the message may be received (delay, or the end of its visibility timeout). */
  visibleAt: number;
  receiptHandle?: string;
  inFlight: boolean;
};

/** The record Lambda's SQS event source would pass for one receive of the message. */
export function toSqsRecord(message: StoredMessage, queueName: string): SQSRecord {
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle ?? '',
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentTimestamp),
      SenderId: 'everynode-local',
      ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp ?? message.sentTimestamp),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(message.body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:local:000000000000:${queueName}`,
    awsRegion: 'local',
  };
}

/**
 * The ids a partial batch response reports as failed. Like Lambda, a response naming an id that is not
 * in the batch fails the whole batch.
 */
export function failedMessageIds(
  response: SQSBatchResponse | undefined,
  batch: readonly Pick<StoredMessage, 'messageId'>[],
): ReadonlySet<string> {
  const ids = new Set(batch.map((message) => message.messageId));
  const failures = response?.batchItemFailures ?? [];
  if (failures.some((failure) => !ids.has(failure.itemIdentifier))) return ids;
  return new Set(failures.map((failure) => failure.itemIdentifier));
}
