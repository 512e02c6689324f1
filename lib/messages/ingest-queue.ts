import type { IngestMessage } from './ingest-message.js';

/**
 * Where facts go in: the ingest queue. SQS in AWS (`functions/shared/sqs-ingest-queue.ts`), an
 * in-process queue in the local control plane. Producers validate with `toIngestMessage` first.
 */
export interface IngestQueue {
  /** Sends the messages (in as few requests as the transport allows); rejects if any was not accepted. */
  send(messages: readonly IngestMessage[]): Promise<void>;
}
