import type { DaemonSetKey } from '../model/daemon-set.js';

/**
 * Where "look at daemon set X" work goes. SQS in Lambda (functions/shared), an in-process queue
 * runner locally (local/). Delays carry re-checks (minReadySeconds, backoff, progress deadline).
 */
export interface WorkQueue {
  /** Enqueues one reconcile message per key; `delaySeconds` (0 to 900) postpones delivery. */
  enqueue(keys: readonly DaemonSetKey[], delaySeconds?: number): Promise<void>;
  /** Enqueues one startup-gate check per node (`{"node": name}`), after `delaySeconds` (0 to 900). */
  enqueueGateChecks(nodes: readonly string[], delaySeconds?: number): Promise<void>;
}

/** The body of a reconcile-queue message: a DaemonSet's pass, or a node's startup-gate check. */
export type ReconcileMessage = Readonly<{ daemonSet: DaemonSetKey }> | Readonly<{ node: string }>;
