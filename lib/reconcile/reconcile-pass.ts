import type { DaemonSetKey } from '../model/daemon-set.js';
import type { ClusterStore } from '../ports/cluster-store.js';
import { VersionConflictError } from '../ports/errors.js';
import type { ReconcileStep } from '../ports/reconcile-step.js';
import { planReconcile } from './plan-reconcile.js';

/** What one reconcile call left behind: nothing to do, or a reason to look again later. */
export type ReconcileOutcome =
  | Readonly<{ status: 'converged' }>
  | Readonly<{ status: 'progressing'; recheckAfterSeconds: number }>
  | Readonly<{ status: 'handedOver' }>;

export type ReconcileDeps = Readonly<{
  store: ClusterStore;
  /** Epoch milliseconds; the only clock reconcile sees. */
  now: () => number;
  /** Passes tried against fresh state when the DaemonSet moves under us. @default 4 */
  maxAttempts?: number;
  /**
   * Only for a caller that cleared the DaemonSet's pending marker before calling (the reconcile handler): a pass
   * that loses its version race while a marker fresher than this is set hands the DaemonSet over to the pass that
   * marker stands for (`handedOver`) instead of passing again itself.
   */
  handOverToPendingWithinSeconds?: number;
}>;

/** SQS's longest message delay; longer re-checks are split into several hops. */
export const MAX_RECHECK_SECONDS = 900;

/**
 * One reconcile pass for a DaemonSet: load a consistent snapshot, plan purely, write the step under the
 * snapshot's version. A lost race (`VersionConflictError`) is retried against fresh state, up to
 * `maxAttempts` passes, then rethrown so the queue redelivers.
 *
 * Unless another pass is on its way (`handOverToPendingWithinSeconds`): a marker set after the caller's clear
 * means a pass was enqueued that will clear it after this read and load after its clear, so it sees everything
 * this pass saw, and the winner's write too (docs/decisions/0004-coalesced-reconcile.md, "A lost race hands
 * over"). Planning again here would only race it.
 *
 * A step that wrote actions or revisions asks to be looked at again at once (`recheckAfterSeconds: 0`):
 * a pass applies at most `burstReplicas` actions, and the next pass is where the plan proves it is a
 * fixpoint. Otherwise the planner's own re-check (minReadySeconds, backoff, progress deadline) stands.
 */
export async function reconcile(key: DaemonSetKey, deps: ReconcileDeps): Promise<ReconcileOutcome> {
  const maxAttempts = deps.maxAttempts ?? 4;
  for (let attempt = 1; ; attempt += 1) {
    const snapshot = await deps.store.loadSnapshot(key);
    if (snapshot === undefined) return { status: 'converged' };
    // Another writer's step is half written: deciding from it would only lose the race, or worse, not lose it.
    if (snapshot.stepInProgress !== undefined) {
      return { status: 'progressing', recheckAfterSeconds: snapshot.stepInProgress.recheckAfterSeconds };
    }
    const step = planReconcile(snapshot, deps.now());
    try {
      await deps.store.applyStep(key, step, snapshot.version);
      return outcomeOf(step);
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      if (await anotherPassPending(key, deps)) return { status: 'handedOver' };
      if (attempt >= maxAttempts) throw error;
    }
  }
}

async function anotherPassPending(key: DaemonSetKey, deps: ReconcileDeps): Promise<boolean> {
  const withinSeconds = deps.handOverToPendingWithinSeconds;
  if (withinSeconds === undefined) return false;
  const pendingSince = await deps.store.readReconcilePending(key);
  return pendingSince !== undefined && pendingSince >= deps.now() - withinSeconds * 1000;
}

function outcomeOf(step: ReconcileStep): ReconcileOutcome {
  const wrote = step.actions.length > 0 || step.revisions.length > 0 || step.revertTemplate !== undefined;
  if (wrote) return { status: 'progressing', recheckAfterSeconds: 0 };
  if (step.recheckAfterSeconds === undefined) return { status: 'converged' };
  const seconds = Math.min(MAX_RECHECK_SECONDS, Math.max(0, Math.ceil(step.recheckAfterSeconds)));
  return { status: 'progressing', recheckAfterSeconds: seconds };
}
