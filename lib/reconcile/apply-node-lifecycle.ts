import type { DaemonSetKey } from '../model/daemon-set.js';
import { type AppliedDrain, applyDrain } from './apply-drain.js';
import { type AppliedStartupGate, applyStartupGate, type StartupGateDeps } from './apply-startup-gate.js';

export type AppliedNodeLifecycle = Readonly<{
  affected: readonly DaemonSetKey[];
  /** Look at the node again after this many seconds (its gate, its drain). */
  recheckAfterSeconds?: number;
  gate: AppliedStartupGate;
  drain: AppliedDrain;
}>;

/**
 * One look at a node's lifecycle: its startup gate (`applyStartupGate`), then its drain (`applyDrain`). Both are
 * idempotent and decide from fresh reads, so a redelivered fact or a repeated check changes nothing twice.
 */
export async function applyNodeLifecycle(nodeName: string, deps: StartupGateDeps): Promise<AppliedNodeLifecycle> {
  const gate = await applyStartupGate(nodeName, deps);
  const drain = await applyDrain(nodeName, deps);
  const rechecks = [gate.recheckAfterSeconds, drain.recheckAfterSeconds].filter(
    (seconds): seconds is number => seconds !== undefined,
  );
  return {
    affected: [...new Set([...gate.affected, ...drain.affected])],
    ...(rechecks.length === 0 ? {} : { recheckAfterSeconds: Math.min(...rechecks) }),
    gate,
    drain,
  };
}
