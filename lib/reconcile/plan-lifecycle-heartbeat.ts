import type { LifecycleAction } from '../model/node.js';

/** Whether a waiting lifecycle action needs `RecordLifecycleActionHeartbeat` now, and when it needs the next. */
export type LifecycleHeartbeatPlan = Readonly<{
  /** Send one now (and record `heartbeatAt`). */
  due: boolean;
  /** Seconds until the next is due (counting the one sent now); undefined when no action waits. */
  nextInSeconds?: number;
}>;

/**
 * Heartbeats for a lifecycle action everynode has not decided yet (no `result`): one every `intervalSeconds`
 * from the action's arrival (`receivedAt`) or its last heartbeat (`heartbeatAt`), so Auto Scaling's hook timeout
 * never ends an action while its gate or drain still works. Nothing for a decided action or none.
 *
 * @example
 * planLifecycleHeartbeat(action, now, 1800); // { due: false, nextInSeconds: 1200 } ten minutes after it arrived
 */
export function planLifecycleHeartbeat(
  action: LifecycleAction | undefined,
  now: number,
  intervalSeconds: number,
): LifecycleHeartbeatPlan {
  if (action === undefined || action.result !== undefined) return { due: false };
  const last = Date.parse(action.heartbeatAt ?? action.receivedAt);
  const left = (last + intervalSeconds * 1000 - now) / 1000;
  return left <= 0 ? { due: true, nextInSeconds: intervalSeconds } : { due: false, nextInSeconds: left };
}
