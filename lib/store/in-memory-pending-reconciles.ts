import type { DaemonSetKey } from '../model/daemon-set.js';
import type { PendingReconcile } from '../ports/cluster-store.js';

/**
 * The in-memory store's pending-reconcile markers (DynamoDB keeps them as `pendingSince` on the DaemonSet's
 * state item). They are queue bookkeeping, not cluster state: `exportState` leaves them out, so a reloaded
 * store starts with none and its first facts enqueue.
 */
export class InMemoryPendingReconciles {
  readonly #since = new Map<DaemonSetKey, number>();

  /**
   * Sets the marker at `now` unless one newer than `timeoutSeconds` is set, as DynamoDB's conditional update
   * does. `live` is whether the DaemonSet has state to mark: without it nothing is marked and the caller enqueues.
   */
  mark(key: DaemonSetKey, live: boolean, now: number, timeoutSeconds: number): PendingReconcile {
    if (!live) {
      this.#since.delete(key);
      return 'enqueue';
    }
    const since = this.#since.get(key);
    if (since !== undefined && since >= now - timeoutSeconds * 1000) return 'coalesced';
    this.#since.set(key, now);
    return 'enqueue';
  }

  clear(key: DaemonSetKey): void {
    this.#since.delete(key);
  }
}
