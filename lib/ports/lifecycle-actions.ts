import type { LifecycleResult } from '../model/node.js';

/** What identifies one EC2 Auto Scaling lifecycle action, as its EventBridge event names it. */
export type LifecycleActionRef = Readonly<{
  autoScalingGroupName: string;
  lifecycleHookName: string;
  lifecycleActionToken: string;
  instanceId: string;
}>;

/**
 * What a call did: `accepted`, or `alreadyClosed` when the action had already ended (completed by an earlier
 * delivery of the same decision, abandoned, or timed out), which is not an error: the instance has moved on.
 */
export type LifecycleCallOutcome = 'accepted' | 'alreadyClosed';

/**
 * EC2 Auto Scaling lifecycle hooks, as everynode completes them. The AWS adapter lives in
 * `functions/shared/`; the local control plane records the calls (`GET /local/lifecycle-actions`). Transient
 * failures (throttling) are retried by the adapter; any other failure is thrown, and the fact that asked for
 * the call is redelivered.
 */
export interface LifecycleActions {
  /** `CompleteLifecycleAction` with `CONTINUE` or `ABANDON`. */
  complete(action: LifecycleActionRef, result: LifecycleResult): Promise<LifecycleCallOutcome>;
  /** `RecordLifecycleActionHeartbeat`: restarts the hook's heartbeat timeout. */
  recordHeartbeat(action: LifecycleActionRef): Promise<LifecycleCallOutcome>;
}
