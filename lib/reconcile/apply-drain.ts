import { startupGateOf } from '../manifest/read-startup-gate.js';
import type { DaemonSetKey } from '../model/daemon-set.js';
import type { Node } from '../model/node.js';
import { isDraining } from '../model/node-lifecycle.js';
import type { NodeFact } from '../ports/cluster-store.js';
import { VersionConflictError } from '../ports/errors.js';
import { applyNodeEvent } from './apply-node-event.js';
import {
  completeLifecycleAction,
  DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
  type StartupGateDeps,
  toRef,
} from './apply-startup-gate.js';
import { type DrainedDaemonSet, type DrainPlan, planDrain } from './plan-drain.js';
import { planLifecycleHeartbeat } from './plan-lifecycle-heartbeat.js';
import { toPodActions } from './to-pod-actions.js';

export type AppliedDrain = Readonly<{
  /** DaemonSets whose pass must run (their pods on the node were deleted, or the node went). */
  affected: readonly DaemonSetKey[];
  /** Look at the drain again after this many seconds. */
  recheckAfterSeconds?: number;
  plan?: DrainPlan;
}>;

const MAX_ATTEMPTS = 5;

/**
 * Moves one node's drain on (`planDrain`): deletes the wave of pods it may delete now, each DaemonSet's deletions
 * written as a step under that DaemonSet's version (a lost race is simply planned again on the next look); once
 * the drain is finished, decides and completes a terminate lifecycle action with `CONTINUE`, then removes the node
 * (its leftover pods are collected as orphans) or, with `keep`, records the drain as completed and leaves the node
 * cordoned. O(DaemonSets) reads, like the node path.
 */
export async function applyDrain(nodeName: string, deps: StartupGateDeps): Promise<AppliedDrain> {
  const fact = await deps.store.getNodeFact(nodeName);
  if (fact === undefined || !isDraining(fact.node)) return { affected: [] };
  const keys = await deps.store.listDaemonSetKeys();
  const snapshots = await Promise.all(keys.map((key) => deps.store.loadNodeSnapshot(key, nodeName)));
  const drained = snapshots.flatMap((snapshot, index): DrainedDaemonSet[] => {
    const key = keys[index];
    if (snapshot === undefined || key === undefined) return [];
    return [
      {
        key,
        daemonSet: snapshot.daemonSet,
        critical: startupGateOf(snapshot.daemonSet) !== undefined,
        pods: snapshot.pods,
      },
    ];
  });
  const now = deps.now();
  const plan = planDrain(fact.node, drained, now);
  const affected: DaemonSetKey[] = [];
  for (const { key, pods } of plan.deletions) {
    const snapshot = snapshots[keys.indexOf(key)];
    if (snapshot?.status === undefined) continue;
    const hash = snapshot.status.updateRevision ?? '';
    const { actions, events } = toPodActions({
      daemonSet: snapshot.daemonSet,
      hash,
      version: snapshot.version,
      createOn: [],
      deletions: pods.map((pod) => ({ pod, reason: 'drained' })),
      now,
    });
    const step = { actions, revisions: [], status: snapshot.status, memory: snapshot.memory, events };
    try {
      await deps.store.applyStep(key, step, snapshot.version);
      affected.push(key);
    } catch (error) {
      // The DaemonSet moved under us: the next look (at most the recheck below) plans its pods again.
      if (!(error instanceof VersionConflictError)) throw error;
    }
  }
  if (!plan.finished) {
    const interval = deps.heartbeatIntervalSeconds ?? DEFAULT_HEARTBEAT_INTERVAL_SECONDS;
    const heartbeat = planLifecycleHeartbeat(fact.node.lifecycleAction, now, interval);
    if (heartbeat.due) await sendHeartbeat(nodeName, deps, now, interval);
    const recheck = [plan.recheckAfterSeconds, heartbeat.nextInSeconds].filter((each) => each !== undefined);
    return {
      affected,
      plan,
      ...(recheck.length === 0 ? {} : { recheckAfterSeconds: Math.max(1, Math.ceil(Math.min(...recheck))) }),
    };
  }
  return { affected: [...affected, ...(await finishDrain(nodeName, deps))], plan };
}

/**
 * A long drain keeps its lifecycle action alive (a terminate hook waits for the drain; a launch hook of a node
 * drained before its gate opened too): `RecordLifecycleActionHeartbeat`, then `heartbeatAt` on the node, as the
 * gate does. A check that lost the race to another finds the heartbeat recorded and sends none.
 */
async function sendHeartbeat(nodeName: string, deps: StartupGateDeps, now: number, interval: number): Promise<void> {
  const fact = await deps.store.getNodeFact(nodeName);
  const action = fact?.node.lifecycleAction;
  if (action === undefined || !planLifecycleHeartbeat(action, now, interval).due) return;
  await deps.lifecycleActions?.recordHeartbeat(toRef(nodeName, action));
  const heartbeatAt = new Date(now).toISOString();
  await replaceUntilWritten(nodeName, deps, (node) => {
    const current = node.lifecycleAction;
    if (current === undefined || !planLifecycleHeartbeat(current, now, interval).due) return undefined;
    return { ...node, lifecycleAction: { ...current, heartbeatAt } };
  });
}

/**
 * The drain is over: a terminate action goes on (`CONTINUE`); a launch action still waiting on the gate is
 * abandoned (the instance never went into service); then the node goes, or stays cordoned.
 */
async function finishDrain(nodeName: string, deps: StartupGateDeps): Promise<readonly DaemonSetKey[]> {
  const at = new Date(deps.now()).toISOString();
  await replaceUntilWritten(nodeName, deps, (node) => {
    const action = node.lifecycleAction;
    if (action === undefined || action.result !== undefined) return undefined;
    const result = action.transition === 'terminate' ? 'CONTINUE' : 'ABANDON';
    return { ...node, lifecycleAction: { ...action, result, decidedAt: at } };
  });
  await completeLifecycleAction(nodeName, deps);
  const fact = await deps.store.getNodeFact(nodeName);
  if (fact === undefined || fact.node.drain === undefined) return [];
  if (fact.node.drain.keep) {
    await replaceUntilWritten(nodeName, deps, (node) =>
      node.drain === undefined || node.drain.completedAt !== undefined
        ? undefined
        : { ...node, drain: { ...node.drain, completedAt: at } },
    );
    return [];
  }
  await deps.store.removeNode(nodeName, laterThan(fact, deps.now()));
  return applyNodeEvent(nodeName, deps);
}

/** Applies `change` to the stored node as a conditional fact, reading again after a lost race. */
async function replaceUntilWritten(
  nodeName: string,
  deps: StartupGateDeps,
  change: (node: Node) => Node | undefined,
): Promise<void> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const fact = await deps.store.getNodeFact(nodeName);
    const next = fact === undefined ? undefined : change(fact.node);
    if (fact === undefined || next === undefined) return;
    const outcome = await deps.store.replaceNode(next, laterThan(fact, deps.now()), fact.observedAt);
    if (outcome !== 'stale') return;
  }
  throw new Error(`node ${nodeName}: other facts kept landing while finishing its drain`);
}

function laterThan(fact: NodeFact, now: number): string {
  return new Date(Math.max(now, Date.parse(fact.observedAt) + 1)).toISOString();
}
