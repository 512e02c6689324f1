import type { DaemonSet } from '../../lib/model/daemon-set.js';
import type { Node } from '../../lib/model/node.js';
import type { DeleteReason } from '../../lib/model/pod.js';
import { nodeShouldRunDaemonPod } from '../../lib/placement/node-should-run-daemon-pod.js';
import { type StartupGatePlacement, startupGatePlacement } from '../../lib/placement/startup-gate-placement.js';
import type { ClusterSnapshot } from '../../lib/ports/cluster-snapshot.js';
import { planReconcile } from '../../lib/reconcile/plan-reconcile.js';
import { computeRevisionHash } from '../../lib/revision/compute-revision-hash.js';
import type { StatusCounters } from '../../lib/rollout/plan-status.js';
import { rolloutBudget } from '../../lib/rollout/rollout-budget.js';

export type PlanNode = Readonly<{
  name: string;
  shouldRun: boolean;
  shouldContinueRunning: boolean;
  reasons: readonly string[];
  /**
   * Only on a gated node (taint `everynode.io/startup`) the DaemonSet runs on: `atOnce` when it tolerates the
   * gate (startup-critical), `afterGate` when it gets its pod only once the gate opens.
   */
  startupGate?: StartupGatePlacement;
}>;

export type PlanAction =
  | Readonly<{ action: 'create'; node: string }>
  | Readonly<{ action: 'delete'; node: string; pod: string; reason: DeleteReason }>;

/** The status fields `plan` reports, computed by the planner as Kubernetes does: its counters. */
export type PlanStatus = StatusCounters;

/** `everynode plan -o json`: a stable contract that scripts depend on. */
export type PlanReport = Readonly<{
  daemonSet: Readonly<{ namespace: string; name: string; apiVersion: string }>;
  revision: string;
  nodes: readonly PlanNode[];
  actions: readonly PlanAction[];
  status: PlanStatus;
  rollingUpdate?: Readonly<{ maxUnavailable: number; maxSurge: number }>;
}>;

/**
 * Runs one reconcile step on a snapshot and reports it: placement per node (input order), the step's pod
 * actions, the status it computes, and the resolved rolling-update budget.
 */
export function planReport(snapshot: ClusterSnapshot, now: number): PlanReport {
  const { daemonSet } = snapshot;
  const step = planReconcile(snapshot, now);
  const status = step.status;
  const budget = rolloutBudget(daemonSet.updateStrategy, status.desiredNumberScheduled);
  return {
    daemonSet: { namespace: daemonSet.namespace, name: daemonSet.name, apiVersion: daemonSet.apiVersion },
    revision: status.updateRevision ?? currentRevision(daemonSet, snapshot),
    nodes: snapshot.nodes.map((node) => planNode(node, daemonSet)),
    actions: step.actions.map((action) =>
      action.kind === 'createPod'
        ? { action: 'create', node: action.nodeName }
        : { action: 'delete', node: action.nodeName, pod: action.podName, reason: action.reason },
    ),
    status: {
      desiredNumberScheduled: status.desiredNumberScheduled,
      currentNumberScheduled: status.currentNumberScheduled,
      numberMisscheduled: status.numberMisscheduled,
      numberReady: status.numberReady,
      updatedNumberScheduled: status.updatedNumberScheduled,
      numberAvailable: status.numberAvailable,
      numberUnavailable: status.numberUnavailable,
    },
    ...(daemonSet.updateStrategy.type === 'RollingUpdate'
      ? { rollingUpdate: { maxUnavailable: budget.maxUnavailable, maxSurge: budget.maxSurge } }
      : {}),
  };
}

function planNode(node: Node, daemonSet: DaemonSet): PlanNode {
  const startupGate = startupGatePlacement(node, daemonSet.placement);
  return {
    name: node.name,
    ...nodeShouldRunDaemonPod(node, daemonSet.placement),
    ...(startupGate === undefined ? {} : { startupGate }),
  };
}

function currentRevision(daemonSet: DaemonSet, snapshot: ClusterSnapshot): string {
  return computeRevisionHash(daemonSet.template, snapshot.status?.collisionCount);
}
