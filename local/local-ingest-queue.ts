import type { IngestMessage, IngestQueue } from '../lib/messages/ingest-message.js';
import type { LocalQueue } from './local-queue.js';

/** The ingest queue in the local control plane: the same message bodies as `SqsIngestQueue`. */
export class LocalIngestQueue implements IngestQueue {
  readonly #queue: LocalQueue;

  constructor(queue: LocalQueue) {
    this.#queue = queue;
  }

  async send(messages: readonly IngestMessage[]): Promise<void> {
    for (const message of messages) this.#queue.send(JSON.stringify(message));
  }
}
