import type { LifecycleResult } from '../lib/model/node.js';
import type { LifecycleActionRef, LifecycleActions, LifecycleCallOutcome } from '../lib/ports/lifecycle-actions.js';

/** One call everynode made, as `GET /local/lifecycle-actions` lists it. */
export type LocalLifecycleCall = Readonly<{
  call: 'CompleteLifecycleAction' | 'RecordLifecycleActionHeartbeat';
  autoScalingGroupName: string;
  lifecycleHookName: string;
  lifecycleActionToken: string;
  instanceId: string;
  result?: LifecycleResult;
  /** What Auto Scaling would have answered: the action was open, or already closed. */
  outcome: LifecycleCallOutcome;
  at: string;
}>;

/**
 * EC2 Auto Scaling's lifecycle hooks, simulated for the local control plane and the tests: an action is open
 * until its first completion, and a later call for it is answered `alreadyClosed`, as Auto Scaling answers a
 * token it no longer holds. Every call is recorded (`calls`), and `completions` are the calls that closed an
 * action, so "completed exactly once" can be checked.
 */
export class LocalLifecycleActions implements LifecycleActions {
  readonly #calls: LocalLifecycleCall[] = [];
  readonly #closed = new Set<string>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  async complete(action: LifecycleActionRef, result: LifecycleResult): Promise<LifecycleCallOutcome> {
    const outcome = this.#closed.has(action.lifecycleActionToken) ? 'alreadyClosed' : 'accepted';
    this.#closed.add(action.lifecycleActionToken);
    this.#record({ call: 'CompleteLifecycleAction', ...action, result, outcome });
    return outcome;
  }

  async recordHeartbeat(action: LifecycleActionRef): Promise<LifecycleCallOutcome> {
    const outcome = this.#closed.has(action.lifecycleActionToken) ? 'alreadyClosed' : 'accepted';
    this.#record({ call: 'RecordLifecycleActionHeartbeat', ...action, outcome });
    return outcome;
  }

  /** Every call, in order. */
  calls(): readonly LocalLifecycleCall[] {
    return [...this.#calls];
  }

  /** The completions that closed an action: one per action everynode completed. */
  completions(): readonly LocalLifecycleCall[] {
    return this.#calls.filter((call) => call.call === 'CompleteLifecycleAction' && call.outcome === 'accepted');
  }

  #record(call: Omit<LocalLifecycleCall, 'at'>): void {
    this.#calls.push({ ...call, at: new Date(this.#now()).toISOString() });
  }
}
