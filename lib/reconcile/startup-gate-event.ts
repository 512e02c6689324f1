import type { Node } from '../model/node.js';
import { startupCondition } from '../model/node-lifecycle.js';
import type { NodeEvent } from '../model/status.js';
import type { StartupGatePlan } from './plan-startup-gate.js';

/** The reasons of the events the startup gate records about a node (`everynode get events`). */
export const GATE_EVENT_REASON = {
  opened: 'StartupGateOpened',
  timeout: 'StartupGateTimeout',
  closed: 'StartupGateClosed',
} as const;

/**
 * The event a written gate decision makes, if it is one worth telling: the gate opened (`Normal`), passed its
 * deadline (`Warning`, the node keeps its taint), or continuous mode gated the node again (`Warning`). Its
 * message is the `everynode.io/StartupComplete` condition's (what the gate waited for, or how long it took);
 * `time` is the decision's. Waiting and heartbeats make none.
 *
 * @example
 * startupGateEvent(written, plan, '2026-01-01T00:00:30.000Z');
 * // { node: 'worker-1', type: 'Warning', reason: 'StartupGateTimeout', message: 'the startup gate passed ...', time }
 */
export function startupGateEvent(written: Node, plan: StartupGatePlan, time: string): NodeEvent | undefined {
  const reason = plan.opened
    ? GATE_EVENT_REASON.opened
    : plan.timedOut
      ? GATE_EVENT_REASON.timeout
      : plan.closed
        ? GATE_EVENT_REASON.closed
        : undefined;
  if (reason === undefined) return undefined;
  const message = startupCondition(written)?.message ?? '';
  return { node: written.name, type: plan.opened ? 'Normal' : 'Warning', reason, message, time };
}
