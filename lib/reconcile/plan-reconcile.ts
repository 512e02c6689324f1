import type { ClusterSnapshot } from './cluster-snapshot.js';
import type { ReconcileStep } from './reconcile-step.js';

/** STUB: one reconcile step (manage, then rollingUpdate, history, status), implemented by the rollout work (issue 3). */
export function planReconcile(_snapshot: ClusterSnapshot, _now: number): ReconcileStep {
  throw new Error('not implemented');
}
