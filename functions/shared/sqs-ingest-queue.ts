import type { SQSClient } from '@aws-sdk/client-sqs';
import type { IngestMessage, IngestQueue } from '../../lib/messages/ingest-message.js';
import { sendMessageBatches } from './send-message-batches.js';

/** The ingest queue on SQS: SendMessageBatch within SQS's entry and size limits. */
export class SqsIngestQueue implements IngestQueue {
  readonly #client: SQSClient;
  readonly #queueUrl: string;

  constructor(client: SQSClient, queueUrl: string) {
    this.#client = client;
    this.#queueUrl = queueUrl;
  }

  async send(messages: readonly IngestMessage[]): Promise<void> {
    await sendMessageBatches(
      this.#client,
      this.#queueUrl,
      messages.map((message) => ({ body: JSON.stringify(message) })),
    );
  }
}
