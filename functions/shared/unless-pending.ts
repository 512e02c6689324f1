import type { DaemonSetKey } from '../../lib/model/daemon-set.js';
import type { ClusterStore } from '../../lib/ports/cluster-store.js';
import type { Observability } from './observability.js';

/** How old a pending-reconcile marker may be before it is presumed lost and work enqueues again. */
export const PENDING_TIMEOUT_SECONDS = 60;

export type UnlessPendingDeps = Readonly<{
  store: ClusterStore;
  logger: Observability['logger'];
  /** Epoch milliseconds, stamped on the marker. */
  now: () => number;
  /** @default PENDING_TIMEOUT_SECONDS */
  timeoutSeconds?: number;
}>;

/**
 * The keys to enqueue: those whose reconcile was not already pending (the marker is now set) plus `forced`
 * ones, which skip the marker. Call it only after the writes that motivate the reconcile are stored: a
 * pending pass clears the marker before it loads, so it sees them (docs/decisions/0004-coalesced-reconcile.md).
 * A marking that fails enqueues anyway: a duplicate message is harmless, a missing one is not.
 */
export async function unlessPending(
  keys: readonly DaemonSetKey[],
  deps: UnlessPendingDeps,
  forced: ReadonlySet<DaemonSetKey> = new Set(),
): Promise<DaemonSetKey[]> {
  const timeout = deps.timeoutSeconds ?? PENDING_TIMEOUT_SECONDS;
  const now = deps.now();
  const decided = await Promise.all(
    keys.map(async (key) => {
      if (forced.has(key)) return key;
      try {
        return (await deps.store.markReconcilePending(key, now, timeout)) === 'enqueue' ? key : undefined;
      } catch (error) {
        deps.logger.warn('could not mark the reconcile pending; enqueueing anyway', { error, daemonSet: key });
        return key;
      }
    }),
  );
  return decided.filter((key): key is DaemonSetKey => key !== undefined);
}
