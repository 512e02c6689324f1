import { type ConditionStatus, type NodeCondition, nodeReadyStatus } from '../lib/model/node.js';
import type { PodPhase } from '../lib/model/pod.js';
import { formatTaint } from '../lib/placement/placement-reasons.js';
import type { FleetView } from './fleet-view.js';
import { stateAt } from './fleet-view.js';
import { isGatedNode, NODE_STATE_SYMBOLS, NODE_STATE_TEXT, type NodeState } from './node-state.js';

export type NodeDaemonSet = Readonly<{
  daemonSet: string;
  state: NodeState;
  symbol: string;
  /** One line, as `describe node` would say it: the pod and its state, or why there is none. */
  summary: string;
  pod?: Readonly<{
    name: string;
    phase: PodPhase;
    ready: boolean;
    revisionHash: string;
    currentRevision: boolean;
    creationTimestamp: string;
    deletionTimestamp?: string;
  }>;
  /** Placement reasons: why no pod may run here (or why the one here should not stay). */
  reasons: readonly string[];
}>;

export type FleetNode = Readonly<{
  version: string;
  name: string;
  ready: ConditionStatus;
  unschedulable: boolean;
  gated: boolean;
  creationTimestamp?: string;
  labels: Readonly<Record<string, string>>;
  taints: readonly string[];
  conditions: readonly NodeCondition[];
  daemonSets: readonly NodeDaemonSet[];
}>;

/** One node's page: its labels, taints and conditions, and per DaemonSet its pod or why there is none. */
export function describeFleetNode(view: FleetView, name: string): FleetNode | undefined {
  const index = view.nodeIndex.get(name);
  const node = index === undefined ? undefined : view.nodes[index];
  if (index === undefined || node === undefined) return undefined;
  return {
    version: view.version,
    name: node.name,
    ready: nodeReadyStatus(node),
    unschedulable: node.unschedulable,
    gated: isGatedNode(node),
    ...(node.creationTimestamp === undefined ? {} : { creationTimestamp: node.creationTimestamp }),
    labels: node.labels,
    taints: node.taints.map(formatTaint),
    conditions: node.conditions,
    daemonSets: view.columns.map((column): NodeDaemonSet => {
      const state = stateAt(column, index);
      const pod = column.pods[index];
      const reasons = column.reasons(index);
      const base = { daemonSet: column.key, state, symbol: NODE_STATE_SYMBOLS[state], reasons };
      if (pod === undefined) {
        const why = reasons.length > 0 ? `: ${reasons.join('; ')}` : '';
        const summary = state === 'terminating' ? 'its pod is terminating' : `no pod, ${NODE_STATE_TEXT[state]}${why}`;
        return { ...base, summary };
      }
      const current = pod.revisionHash === column.currentRevision;
      const crash = column.crashLooping.has(index) ? ', crash-looping (Running, never ready)' : '';
      const extra = (column.livePods[index] ?? 0) > 1 ? `, ${column.livePods[index]} live pods` : '';
      return {
        ...base,
        summary: `pod ${pod.name}: ${pod.phase}, ${pod.ready ? 'ready' : 'not ready'}, ${current ? 'current' : 'old'} revision ${pod.revisionHash}${crash}${extra}`,
        pod: {
          name: pod.name,
          phase: pod.phase,
          ready: pod.ready,
          revisionHash: pod.revisionHash,
          currentRevision: current,
          creationTimestamp: pod.creationTimestamp,
          ...(pod.deletionTimestamp === undefined ? {} : { deletionTimestamp: pod.deletionTimestamp }),
        },
      };
    }),
  };
}
