import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';

/** SQS SendMessageBatch limits: 10 entries and 256 KiB of bodies per request. */
export const MAX_BATCH_ENTRIES = 10;
export const MAX_BATCH_BYTES = 256 * 1024;

/** A message to send; `Id` is assigned here. */
export type OutgoingMessage = Readonly<{ body: string; delaySeconds?: number }>;

/**
 * Sends messages with as few SendMessageBatch requests as SQS allows. Entries SQS refuses (it answers
 * 200 with a `Failed` list) are not silently dropped: the call rejects, naming them, so the caller's
 * message is redelivered.
 */
export async function sendMessageBatches(
  client: SQSClient,
  queueUrl: string,
  messages: readonly OutgoingMessage[],
): Promise<void> {
  for (const batch of toBatches(messages)) {
    const entries: SendMessageBatchRequestEntry[] = batch.map((message, index) => ({
      Id: String(index),
      MessageBody: message.body,
      ...(message.delaySeconds === undefined ? {} : { DelaySeconds: message.delaySeconds }),
    }));
    const response = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    const failed = response.Failed ?? [];
    if (failed.length > 0) {
      const reasons = failed.map((entry) => `${entry.Id}: ${entry.Code ?? 'unknown'} ${entry.Message ?? ''}`.trim());
      throw new Error(
        `SQS refused ${failed.length} of ${entries.length} messages to ${queueUrl}: ${reasons.join('; ')}`,
      );
    }
  }
}

function toBatches(messages: readonly OutgoingMessage[]): OutgoingMessage[][] {
  const batches: OutgoingMessage[][] = [];
  let current: OutgoingMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = Buffer.byteLength(message.body, 'utf8');
    if (current.length === MAX_BATCH_ENTRIES || (current.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
