import type { DaemonSetKey } from '../lib/model/daemon-set.js';
import type { ReconcileMessage, WorkQueue } from '../lib/ports/work-queue.js';
import type { LocalQueue } from './local-queue.js';

const MAX_DELAY_SECONDS = 900;

/** The reconcile queue in the local control plane: the same message bodies and delays as `SqsWorkQueue`. */
export class LocalWorkQueue implements WorkQueue {
  readonly #queue: LocalQueue;

  constructor(queue: LocalQueue) {
    this.#queue = queue;
  }

  async enqueue(keys: readonly DaemonSetKey[], delaySeconds?: number): Promise<void> {
    const delay = Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delaySeconds ?? 0)));
    for (const key of new Set(keys)) {
      const message: ReconcileMessage = { daemonSet: key };
      this.#queue.send(JSON.stringify(message), { delaySeconds: delay });
    }
  }
}
