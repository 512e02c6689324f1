/**
 * Invariants (asserted by test/property/plan-startup-gate.property.test.ts):
 * - A gate opens (the taint goes) only when every startup-critical DaemonSet that should run on the node has
 *   an available pod there (Ready for longer than its minReadySeconds, not terminating).
 * - The planner only ever changes the startup taint, the `everynode.io/StartupComplete` condition and the
 *   node's lifecycle action; labels, other taints and other conditions stay as they were.
 * - A lifecycle action's result is decided once: a node whose action has a result keeps it.
 */
import type { DaemonSet, DaemonSetKey } from '../model/daemon-set.js';
import type { LifecycleAction, Node, NodeCondition, Taint } from '../model/node.js';
import {
  isGated,
  STARTUP_COMPLETE_CONDITION,
  STARTUP_TAINT_KEY,
  type StartupGate,
  startupCondition,
} from '../model/node-lifecycle.js';
import type { Pod } from '../model/pod.js';
import { placementAnswers } from '../placement/placement-answers.js';
import { isPodAvailable, secondsUntilAvailable } from '../rollout/pod-availability.js';

/** A startup-critical DaemonSet with its pods on the node. */
export type CriticalDaemonSet = Readonly<{
  key: DaemonSetKey;
  daemonSet: DaemonSet;
  gate: StartupGate;
  /** The DaemonSet's pods on the node, terminating ones included. */
  pods: readonly Pod[];
}>;

/** One critical DaemonSet the gate still waits for, and the state of its pod, in words. */
export type GateWait = Readonly<{ daemonSet: DaemonSetKey; state: string }>;

export type StartupGateInput = Readonly<{
  node: Node;
  critical: readonly CriticalDaemonSet[];
  /** Epoch ms. */
  now: number;
  /** Seconds between `RecordLifecycleActionHeartbeat` calls while a launch hook waits for the gate. */
  heartbeatIntervalSeconds: number;
}>;

export type StartupGatePlan = Readonly<{
  /** The node to write back (a fact everynode decided), when anything changed. */
  node?: Node;
  /** The taint goes: non-critical DaemonSets may now place pods. */
  opened: boolean;
  /** Continuous mode put the taint back. */
  closed: boolean;
  /** The gate deadline passed with this very plan (the condition turns `StartupTimeout`). */
  timedOut: boolean;
  /** A lifecycle heartbeat is due (the plan's node records it). */
  heartbeat: boolean;
  /** What a gated (or re-gated) node waits for; empty otherwise. */
  waitingFor: readonly GateWait[];
  /** Look at the gate again after this many seconds (a pod turning available, the deadline, a heartbeat). */
  recheckAfterSeconds?: number;
}>;

/** While a node is gated, the gate is looked at again at least this often (a deleted DaemonSet, a lost message). */
export const GATE_RECHECK_SECONDS = 60;

/** The condition reasons the gate writes. */
export const GATE_REASON = {
  waiting: 'WaitingForCriticalPods',
  available: 'CriticalPodsAvailable',
  timeout: 'StartupTimeout',
  unavailable: 'CriticalPodUnavailable',
} as const;

/**
 * The startup gate of one node, from its startup-critical DaemonSets and their pods on it (see
 * docs/decisions/0006-startup-gate.md). A gated node (it carries `everynode.io/startup`) opens once every
 * critical DaemonSet that should run there has an available pod: the taint goes and
 * `everynode.io/StartupComplete=True` says how long it took, and a pending launch lifecycle action is decided
 * `CONTINUE`. When the shortest `startup-timeout-seconds` passes first, the node keeps its taint,
 * `StartupComplete=False/StartupTimeout` names what it waits for, and the launch action is decided `ABANDON`.
 * A node that opened and runs a `continuous` critical DaemonSet is gated again while that pod is unavailable.
 * A node being drained is left to its drain.
 *
 * @example
 * planStartupGate({ node, critical: [], now, heartbeatIntervalSeconds: 1800 }).opened; // true when `node` is gated
 */
export function planStartupGate(input: StartupGateInput): StartupGatePlan {
  const { node, now } = input;
  // A drained node takes no new pods at all: its gate neither opens nor closes (the drain decides its action).
  if (node.drain !== undefined) return idle();
  const condition = startupCondition(node);
  const relevant = input.critical
    .filter((critical) => placementAnswers(node, critical.daemonSet.placement).shouldRun)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const waits = relevant.flatMap((critical) => waitFor(critical, now));
  const waitingFor = waits.map((wait) => wait.wait);
  const nextAvailable = minimum(waits.map((wait) => wait.availableInSeconds));
  const at = new Date(now).toISOString();

  if (!isGated(node)) {
    const continuous = waits.filter((wait) => wait.critical.gate.mode === 'continuous');
    if (condition?.status !== 'True' || continuous.length === 0) return idle();
    const taint: Taint = { key: STARTUP_TAINT_KEY, effect: 'NoSchedule', timeAdded: at };
    // The re-gated node waits for every critical pod, as a joining one does; the same words, so the next look
    // finds nothing to change.
    const message = `waiting for ${describeWaits(waitingFor)}`;
    return {
      node: withCondition({ ...node, taints: [...node.taints, taint] }, false, GATE_REASON.unavailable, message, at),
      opened: false,
      closed: true,
      timedOut: false,
      heartbeat: false,
      waitingFor,
      ...recheck([nextAvailable, GATE_RECHECK_SECONDS]),
    };
  }

  const since = gatedSince(node) ?? now;
  if (waits.length === 0) {
    const seconds = Math.max(0, (now - since) / 1000);
    const what =
      relevant.length === 1 ? '1 startup-critical DaemonSet' : `${relevant.length} startup-critical DaemonSets`;
    const message = `${what} available after ${seconds.toFixed(1)} s`;
    const opened: Node = {
      ...withCondition(node, true, GATE_REASON.available, message, at),
      taints: node.taints.filter((taint) => taint.key !== STARTUP_TAINT_KEY),
    };
    return {
      node: decideLaunch(opened, 'CONTINUE', at),
      opened: true,
      closed: false,
      timedOut: false,
      heartbeat: false,
      waitingFor: [],
    };
  }

  const timeouts = relevant.flatMap((critical) => critical.gate.timeoutSeconds ?? []);
  const timeoutSeconds = timeouts.length === 0 ? undefined : Math.min(...timeouts);
  const deadline = timeoutSeconds === undefined ? undefined : since + timeoutSeconds * 1000;
  const pastDeadline = deadline !== undefined && now >= deadline;
  const described = describeWaits(waitingFor);
  if (pastDeadline) {
    const alreadyTimedOut = condition?.status === 'False' && condition.reason === GATE_REASON.timeout;
    const message = `the startup gate passed its ${timeoutSeconds} s deadline; waiting for ${described}`;
    const changed = alreadyTimedOut ? node : withCondition(node, false, GATE_REASON.timeout, message, at);
    const decided = decideLaunch(changed, 'ABANDON', at);
    return {
      ...(decided === node ? {} : { node: decided }),
      opened: false,
      closed: false,
      timedOut: !alreadyTimedOut,
      heartbeat: false,
      waitingFor,
      // Past its deadline a gate is only looked at again when a pod reports: no timer runs forever.
      ...recheck([nextAvailable]),
    };
  }

  const message = `waiting for ${described}`;
  const sameMessage = condition?.status === 'False' && condition.message === message;
  let next = sameMessage ? node : withCondition(node, false, GATE_REASON.waiting, message, at);
  const action = pendingLaunch(node);
  const heartbeatDue =
    action !== undefined &&
    now - Date.parse(action.heartbeatAt ?? action.receivedAt) >= input.heartbeatIntervalSeconds * 1000;
  if (action !== undefined && heartbeatDue) next = { ...next, lifecycleAction: { ...action, heartbeatAt: at } };
  const heartbeatIn =
    action === undefined
      ? undefined
      : heartbeatDue
        ? input.heartbeatIntervalSeconds
        : (Date.parse(action.heartbeatAt ?? action.receivedAt) + input.heartbeatIntervalSeconds * 1000 - now) / 1000;
  return {
    ...(next === node ? {} : { node: next }),
    opened: false,
    closed: false,
    timedOut: false,
    heartbeat: heartbeatDue,
    waitingFor,
    ...recheck([
      nextAvailable,
      deadline === undefined ? undefined : (deadline - now) / 1000,
      heartbeatIn,
      GATE_RECHECK_SECONDS,
    ]),
  };
}

/** When the node was gated: the taint's `timeAdded`, else the node's creation. */
export function gatedSince(node: Node): number | undefined {
  const taint = node.taints.find((each) => each.key === STARTUP_TAINT_KEY);
  const time = taint?.timeAdded ?? node.creationTimestamp;
  if (time === undefined) return undefined;
  const parsed = Date.parse(time);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** The launch lifecycle action the gate still has to decide, if any. */
export function pendingLaunch(node: Node): LifecycleAction | undefined {
  const action = node.lifecycleAction;
  return action?.transition === 'launch' && action.result === undefined ? action : undefined;
}

/** `kube-system/cni (pod cni-x is Pending), kube-system/logs (no pod yet)`. */
export function describeWaits(waits: readonly GateWait[]): string {
  return waits.map((wait) => `${wait.daemonSet} (${wait.state})`).join(', ');
}

type Wait = Readonly<{ critical: CriticalDaemonSet; wait: GateWait; availableInSeconds?: number }>;

function waitFor(critical: CriticalDaemonSet, now: number): Wait[] {
  const { minReadySeconds } = critical.daemonSet;
  const live = critical.pods.filter((pod) => pod.deletionTimestamp === undefined);
  if (live.some((pod) => isPodAvailable(pod, minReadySeconds, now))) return [];
  const pod = live.find((each) => each.ready) ?? live[0];
  const wait = (state: string, availableInSeconds?: number): Wait[] => [
    {
      critical,
      wait: { daemonSet: critical.key, state },
      ...(availableInSeconds === undefined ? {} : { availableInSeconds }),
    },
  ];
  if (pod === undefined) {
    const terminating = critical.pods[0];
    return wait(terminating === undefined ? 'no pod yet' : `pod ${terminating.name} is terminating`);
  }
  if (pod.ready) {
    const seconds = secondsUntilAvailable(pod, minReadySeconds, now);
    return wait(`pod ${pod.name} is ready, available after minReadySeconds ${minReadySeconds}`, seconds);
  }
  if (!pod.scheduled) return wait(`pod ${pod.name} is not scheduled yet`);
  return wait(`pod ${pod.name} is ${pod.phase}, not ready`);
}

function withCondition(node: Node, status: boolean, reason: string, message: string, at: string): Node {
  const previous = node.conditions.find((condition) => condition.type === STARTUP_COMPLETE_CONDITION);
  const value = status ? 'True' : 'False';
  const condition: NodeCondition = {
    type: STARTUP_COMPLETE_CONDITION,
    status: value,
    reason,
    message,
    // Kubernetes moves lastTransitionTime only when the status changes.
    lastTransitionTime: previous?.status === value ? (previous.lastTransitionTime ?? at) : at,
  };
  const others = node.conditions.filter((each) => each.type !== STARTUP_COMPLETE_CONDITION);
  return { ...node, conditions: [...others, condition] };
}

function decideLaunch(node: Node, result: 'CONTINUE' | 'ABANDON', at: string): Node {
  const action = pendingLaunch(node);
  return action === undefined ? node : { ...node, lifecycleAction: { ...action, result, decidedAt: at } };
}

function idle(): StartupGatePlan {
  return { opened: false, closed: false, timedOut: false, heartbeat: false, waitingFor: [] };
}

function recheck(candidates: readonly (number | undefined)[]): Readonly<{ recheckAfterSeconds?: number }> {
  const seconds = minimum(candidates);
  return seconds === undefined ? {} : { recheckAfterSeconds: Math.max(1, Math.ceil(seconds)) };
}

function minimum(values: readonly (number | undefined)[]): number | undefined {
  const defined = values.filter((value): value is number => value !== undefined);
  return defined.length === 0 ? undefined : Math.min(...defined);
}
