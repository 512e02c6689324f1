import type { Node, NodeCondition, Taint } from '../model/node.js';
import type { LivenessVerdict, NodeHeartbeat } from '../ports/heartbeat-store.js';

/** The taints Kubernetes' node lifecycle controller puts on a node whose kubelet stopped posting status. */
export const UNREACHABLE_TAINT_KEY = 'node.kubernetes.io/unreachable';

/** Kubernetes' `node-monitor-grace-period` (50 s since v1.32). */
export const DEFAULT_NODE_GRACE_PERIOD_MS = 50_000;

/** A node the lifecycle controller changes, and why (for the log). */
export type NodeLivenessChange = Readonly<{ node: Node; change: 'unreachable' | 'recovered' }>;

/**
 * What Kubernetes' node lifecycle controller does to nodes with heartbeats, decided purely:
 * - a node whose heartbeat is stale (`isStale`: older than `gracePeriodMs`, and its agent not connected over
 *   MQTT) gets `Ready=Unknown` (reason `NodeStatusUnknown`) and the taints
 *   `node.kubernetes.io/unreachable:NoSchedule` and `:NoExecute`;
 * - such a node whose heartbeat is fresh again (a renew, or its agent connected) gets `Ready=True` back and loses
 *   those taints.
 * Nodes that never sent a heartbeat nor connected (joined by hand or by the CLI, not run by an agent) are left
 * alone.
 *
 * Invariants: a node is changed only when it is not already as decided (so a repeated check changes
 * nothing), a node whose agent is connected is never marked unreachable, and the result depends only on the
 * arguments.
 */
export function planNodeLiveness(
  nodes: readonly Node[],
  heartbeats: readonly NodeHeartbeat[],
  now: number,
  gracePeriodMs: number = DEFAULT_NODE_GRACE_PERIOD_MS,
): NodeLivenessChange[] {
  const byName = new Map(heartbeats.map((heartbeat) => [heartbeat.nodeName, heartbeat]));
  const changes: NodeLivenessChange[] = [];
  for (const node of nodes.toSorted((a, b) => a.name.localeCompare(b.name))) {
    const heartbeat = byName.get(node.name);
    const stale = heartbeat === undefined ? undefined : isStale(heartbeat, now, gracePeriodMs);
    if (stale === undefined) continue;
    const at = new Date(now).toISOString();
    if (stale && !isUnreachable(node)) {
      changes.push({ node: markUnreachable(node, at), change: 'unreachable' });
    } else if (!stale && isUnreachable(node)) {
      changes.push({ node: markRecovered(node, at), change: 'recovered' });
    }
  }
  return changes;
}

/** A node whose liveness verdict, as its heartbeat item records it, no longer matches its heartbeats. */
export type DueVerdict = Readonly<{ nodeName: string; verdict: LivenessVerdict }>;

/**
 * The nodes a check must look at, from the heartbeats alone (no node read): a node whose heartbeat is stale
 * (`isStale`) and that holds no `unreachable` verdict, and a node that holds one and whose heartbeat is fresh
 * again or whose agent connected. Everything else is as the controller left it, so a check costs reads of the
 * heartbeat shards plus one node read per change.
 *
 * Invariants: a heartbeat is due exactly when its staleness differs from its verdict (so the verdicts the
 * check writes make the next check find nothing due), stale means what `planNodeLiveness` means by it, and
 * the result is sorted by node name and depends only on the arguments.
 */
export function dueVerdicts(
  heartbeats: readonly NodeHeartbeat[],
  now: number,
  gracePeriodMs: number = DEFAULT_NODE_GRACE_PERIOD_MS,
): DueVerdict[] {
  const due: DueVerdict[] = [];
  for (const heartbeat of heartbeats.toSorted((a, b) => a.nodeName.localeCompare(b.nodeName))) {
    const stale = isStale(heartbeat, now, gracePeriodMs);
    if (stale === undefined) continue;
    const held = heartbeat.unreachableSince !== undefined;
    if (stale && !held) due.push({ nodeName: heartbeat.nodeName, verdict: 'unreachable' });
    else if (!stale && held) due.push({ nodeName: heartbeat.nodeName, verdict: 'recovered' });
  }
  return due;
}

/**
 * Whether a node's heartbeat is too old to hold it Ready: its agent is not connected over MQTT (a connected agent
 * is alive whatever its last heartbeat's age: the broker would have closed a silent connection after 1.5 × its
 * keep-alive), and its latest renew, an HTTP heartbeat or a presence event (so a disconnect's own time), is older
 * than `gracePeriodMs`. Undefined when the renew time cannot be read and no connection vouches for the node.
 *
 * @example
 * const presence = { connected: true, since: '2026-12-03T09:00:00Z', versionNumber: 3 };
 * const aDayLater = Date.parse('2026-12-04T09:00:00Z');
 * isStale({ nodeName: 'a', renewTime: '2026-12-03T09:00:00Z', presence }, aDayLater, 50_000); // false
 */
export function isStale(heartbeat: NodeHeartbeat, now: number, gracePeriodMs: number): boolean | undefined {
  if (heartbeat.presence?.connected === true) return false;
  const last = Date.parse(heartbeat.renewTime);
  return Number.isNaN(last) ? undefined : now - last > gracePeriodMs;
}

/** Whether the lifecycle controller has marked the node: unreachable taints, or Ready=Unknown from it. */
export function isUnreachable(node: Node): boolean {
  const ready = node.conditions.find((condition) => condition.type === 'Ready');
  return (
    node.taints.some((taint) => taint.key === UNREACHABLE_TAINT_KEY) ||
    (ready?.status === 'Unknown' && ready.reason === 'NodeStatusUnknown')
  );
}

function markUnreachable(node: Node, at: string): Node {
  const ready: NodeCondition = {
    type: 'Ready',
    status: 'Unknown',
    reason: 'NodeStatusUnknown',
    message: 'Kubelet stopped posting node status.',
    lastTransitionTime: at,
  };
  const taints: Taint[] = [
    ...node.taints.filter((taint) => taint.key !== UNREACHABLE_TAINT_KEY),
    { key: UNREACHABLE_TAINT_KEY, effect: 'NoSchedule', timeAdded: at },
    { key: UNREACHABLE_TAINT_KEY, effect: 'NoExecute', timeAdded: at },
  ];
  return { ...node, conditions: withCondition(node.conditions, ready), taints };
}

function markRecovered(node: Node, at: string): Node {
  const ready: NodeCondition = {
    type: 'Ready',
    status: 'True',
    reason: 'KubeletReady',
    message: 'kubelet is posting ready status',
    lastTransitionTime: at,
  };
  return {
    ...node,
    conditions: withCondition(node.conditions, ready),
    taints: node.taints.filter((taint) => taint.key !== UNREACHABLE_TAINT_KEY),
  };
}

function withCondition(conditions: readonly NodeCondition[], replacement: NodeCondition): NodeCondition[] {
  return [...conditions.filter((condition) => condition.type !== replacement.type), replacement];
}
