import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DaemonSetKey } from '../../lib/model/daemon-set.js';
import type { ReconcileMessage, WorkQueue } from '../../lib/ports/work-queue.js';
import { sendMessageBatches } from './send-message-batches.js';

/** SQS's per-message delay range. */
const MAX_DELAY_SECONDS = 900;

/** The reconcile queue on SQS: one `ReconcileMessage` per key, SendMessageBatch in tens, optional delay. */
export class SqsWorkQueue implements WorkQueue {
  readonly #client: SQSClient;
  readonly #queueUrl: string;

  constructor(client: SQSClient, queueUrl: string) {
    this.#client = client;
    this.#queueUrl = queueUrl;
  }

  async enqueue(keys: readonly DaemonSetKey[], delaySeconds?: number): Promise<void> {
    await this.#send(
      [...new Set(keys)].map((key): ReconcileMessage => ({ daemonSet: key })),
      delaySeconds,
    );
  }

  async enqueueGateChecks(nodes: readonly string[], delaySeconds?: number): Promise<void> {
    await this.#send(
      [...new Set(nodes)].map((node): ReconcileMessage => ({ node })),
      delaySeconds,
    );
  }

  async #send(messages: readonly ReconcileMessage[], delaySeconds: number | undefined): Promise<void> {
    const delay =
      delaySeconds === undefined ? undefined : Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delaySeconds)));
    await sendMessageBatches(
      this.#client,
      this.#queueUrl,
      messages.map((message) => {
        return {
          body: JSON.stringify(message),
          ...(delay === undefined || delay === 0 ? {} : { delaySeconds: delay }),
        };
      }),
    );
  }
}
