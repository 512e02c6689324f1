import { startupGateOf } from '../manifest/read-startup-gate.js';
import type { DaemonSetKey } from '../model/daemon-set.js';
import type { Node } from '../model/node.js';
import { isGated, startupCondition } from '../model/node-lifecycle.js';
import type { ClusterStore, NodeFact } from '../ports/cluster-store.js';
import type { LifecycleActionRef, LifecycleActions } from '../ports/lifecycle-actions.js';
import { applyNodeEvent, type NodeEventDeps } from './apply-node-event.js';
import { type CriticalDaemonSet, planStartupGate, type StartupGatePlan } from './plan-startup-gate.js';
import { startupGateEvent } from './startup-gate-event.js';

/** Half of an Auto Scaling hook's default one-hour heartbeat timeout. */
export const DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 1800;

export type StartupGateDeps = NodeEventDeps &
  Readonly<{
    /** Completes Auto Scaling lifecycle actions; without it, decisions are recorded on the node but not sent. */
    lifecycleActions?: LifecycleActions;
    /** @default DEFAULT_HEARTBEAT_INTERVAL_SECONDS */
    heartbeatIntervalSeconds?: number;
    /** Told when a gate passes its deadline (the node keeps its taint). */
    onTimeout?: (node: Node, plan: StartupGatePlan) => void;
  }>;

export type AppliedStartupGate = Readonly<{
  /** DaemonSets whose pass must run: the gate opened or closed, so the node path placed or kept their pods. */
  affected: readonly DaemonSetKey[];
  /** Check this node's gate again after this many seconds. */
  recheckAfterSeconds?: number;
  plan?: StartupGatePlan;
}>;

/** Attempts when another fact about the node lands between the read and the write. */
const MAX_ATTEMPTS = 5;

/**
 * Looks at one node's startup gate and writes what `planStartupGate` decides, as a node fact conditional on the
 * fact it read (`replaceNode`): a fact that lands in between makes it decide again from a fresh read. When the
 * gate opens (or closes again) the node path runs, so the DaemonSets that waited get their pods at once. Then a
 * decided, not yet completed lifecycle action is completed through the port and marked completed, so redelivery
 * never completes it twice. Reads the node and, only for a gated node or one that went through a gate, each
 * DaemonSet's record and its pods on the node: O(DaemonSets), like the node path.
 */
export async function applyStartupGate(nodeName: string, deps: StartupGateDeps): Promise<AppliedStartupGate> {
  let plan: StartupGatePlan | undefined;
  let fact: NodeFact | undefined;
  for (let attempt = 1; ; attempt += 1) {
    fact = await deps.store.getNodeFact(nodeName);
    if (fact === undefined || !needsGate(fact.node)) break;
    const now = deps.now();
    plan = planStartupGate({
      node: fact.node,
      critical: await loadCritical(nodeName, deps.store),
      now,
      heartbeatIntervalSeconds: deps.heartbeatIntervalSeconds ?? DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
    });
    if (plan.node === undefined) break;
    const action = fact.node.lifecycleAction;
    if (plan.heartbeat && action !== undefined && deps.lifecycleActions !== undefined) {
      await deps.lifecycleActions.recordHeartbeat(toRef(nodeName, action));
    }
    if ((await writeNode(deps, fact, plan.node)) === 'written') {
      // After the decision is stored: the event is informational, as Kubernetes events are. It is keyed by node, time
      // and reason, and only a written decision makes one, so redelivery adds none; if this write fails, the check
      // is retried and completes the lifecycle action from the stored decision, without the event.
      const event = startupGateEvent(plan.node, plan, new Date(now).toISOString());
      if (event !== undefined) await deps.store.recordNodeEvent(event);
      fact = await deps.store.getNodeFact(nodeName);
      if (plan.timedOut) deps.onTimeout?.(plan.node, plan);
      break;
    }
    if (attempt >= MAX_ATTEMPTS) throw new Error(`node ${nodeName}: other facts kept landing while deciding its gate`);
  }
  const affected = plan?.opened || plan?.closed ? await applyNodeEvent(nodeName, deps) : [];
  if (fact !== undefined) await completeLifecycleAction(nodeName, deps);
  return {
    affected,
    ...(plan?.recheckAfterSeconds === undefined ? {} : { recheckAfterSeconds: plan.recheckAfterSeconds }),
    ...(plan === undefined ? {} : { plan }),
  };
}

/**
 * Completes the node's decided lifecycle action through the port, then records `completedAt` on the node (a
 * conditional write, retried on a fresh read). Nothing when no action is decided, when it is already
 * completed, or when no port is wired.
 */
export async function completeLifecycleAction(nodeName: string, deps: StartupGateDeps): Promise<void> {
  if (deps.lifecycleActions === undefined) return;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const fact = await deps.store.getNodeFact(nodeName);
    const action = fact?.node.lifecycleAction;
    if (fact === undefined || action?.result === undefined || action.completedAt !== undefined) return;
    await deps.lifecycleActions.complete(toRef(nodeName, action), action.result);
    const completedAt = new Date(deps.now()).toISOString();
    const node: Node = { ...fact.node, lifecycleAction: { ...action, completedAt } };
    if ((await writeNode(deps, fact, node)) === 'written') return;
  }
  throw new Error(`node ${nodeName}: other facts kept landing while recording its lifecycle action's completion`);
}

/** A node the gate looks at: gated, one that went through a gate (continuous mode), or one with an action to send. */
function needsGate(node: Node): boolean {
  const action = node.lifecycleAction;
  return (
    isGated(node) ||
    startupCondition(node)?.status === 'True' ||
    (action?.result !== undefined && action.completedAt === undefined)
  );
}

async function loadCritical(nodeName: string, store: ClusterStore): Promise<CriticalDaemonSet[]> {
  const keys = await store.listDaemonSetKeys();
  const snapshots = await Promise.all(keys.map((key) => store.loadNodeSnapshot(key, nodeName)));
  return snapshots.flatMap((snapshot, index) => {
    const key = keys[index];
    if (snapshot === undefined || key === undefined || snapshot.daemonSet.deletionTimestamp !== undefined) return [];
    const gate = startupGateOf(snapshot.daemonSet);
    return gate === undefined ? [] : [{ key, daemonSet: snapshot.daemonSet, gate, pods: snapshot.pods }];
  });
}

/** Writes the node as a newer fact over the one read: `conflict` when another fact landed in between. */
async function writeNode(deps: StartupGateDeps, fact: NodeFact, node: Node): Promise<'written' | 'conflict'> {
  // The fact must be newer than the one it replaces, even when the event that wrote it carried a later clock.
  const time = Math.max(deps.now(), Date.parse(fact.observedAt) + 1);
  const outcome = await deps.store.replaceNode(node, new Date(time).toISOString(), fact.observedAt);
  return outcome === 'stale' ? 'conflict' : 'written';
}

/** The reference Auto Scaling needs to complete or extend a node's lifecycle action. */
export function toRef(
  instanceId: string,
  action: Readonly<{ autoScalingGroupName: string; lifecycleHookName: string; lifecycleActionToken: string }>,
): LifecycleActionRef {
  return {
    autoScalingGroupName: action.autoScalingGroupName,
    lifecycleHookName: action.lifecycleHookName,
    lifecycleActionToken: action.lifecycleActionToken,
    instanceId,
  };
}
