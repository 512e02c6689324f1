import { type DaemonSet, type DaemonSetKey, toDaemonSetKey } from '../lib/model/daemon-set.js';
import { type Node, nodeReadyStatus } from '../lib/model/node.js';
import type { Pod } from '../lib/model/pod.js';
import { nodeShouldRunDaemonPod, type PlacementDecision } from '../lib/placement/node-should-run-daemon-pod.js';
import { formatTaint } from '../lib/placement/placement-reasons.js';
import type { ClusterStore, StoredDaemonSet } from '../lib/ports/cluster-store.js';
import { computeRevisionHash } from '../lib/revision/compute-revision-hash.js';
import { isPodAvailable } from '../lib/rollout/pod-availability.js';
import type { DashboardDaemonSet, DashboardRow, DashboardState, NodeBadge } from './dashboard-state.js';
import { type DaemonSetProgress, progressOfStatus, summarizeDaemonSet } from './summarize-daemon-set.js';
import { toDashboardCell } from './to-dashboard-cell.js';

/** A pod with the DaemonSet it belongs to (as `ClusterStore.listPodsOnNode` returns them). */
export type DaemonSetPod = Pod & Readonly<{ daemonSet: DaemonSetKey }>;

export type DashboardInput = Readonly<{
  daemonSets: readonly StoredDaemonSet[];
  nodes: readonly Node[];
  pods: readonly DaemonSetPod[];
}>;

/**
 * The dashboard's view of the cluster: one row per node (by name), one column per DaemonSet (by key), each
 * cell the state of that DaemonSet's pod on that node, with the placement reasons when there is none.
 * Progress counts come from the stored status (what `rollout status` reports), or are computed from the
 * pods when the DaemonSet has not been reconciled yet. Pure: `now` (epoch ms) only stamps the result and
 * decides availability.
 */
export function buildDashboardState(input: DashboardInput, now: number): DashboardState {
  const daemonSets = input.daemonSets.toSorted((a, b) => keyOf(a.daemonSet).localeCompare(keyOf(b.daemonSet)));
  const nodes = input.nodes.toSorted((a, b) => a.name.localeCompare(b.name));
  const podsByCell = groupPods(input.pods);
  const columns = daemonSets.map((stored) => {
    const key = keyOf(stored.daemonSet);
    const currentRevision =
      stored.status?.updateRevision ?? computeRevisionHash(stored.daemonSet.template, stored.status?.collisionCount);
    const decisions = new Map(
      nodes.map((node) => [node.name, nodeShouldRunDaemonPod(node, stored.daemonSet.placement)]),
    );
    return { stored, key, currentRevision, decisions };
  });
  const rows: DashboardRow[] = nodes.map((node) => ({
    node: node.name,
    ready: nodeReadyStatus(node),
    badges: badgesOf(node),
    cells: columns.map(({ key, currentRevision, decisions }) =>
      toDashboardCell({
        daemonSet: key,
        currentRevision,
        decision: decisions.get(node.name) ?? NOT_DECIDED,
        pods: podsByCell.get(cellKey(key, node.name)) ?? [],
      }),
    ),
  }));
  return {
    generatedAt: new Date(now).toISOString(),
    daemonSets: columns.map(({ stored, key, currentRevision, decisions }) =>
      summarize(stored, key, currentRevision, decisions, podsByCell, now),
    ),
    rows,
  };
}

/** Reads what the dashboard shows (every DaemonSet, node and pod) and builds its state. */
export async function loadDashboardState(store: ClusterStore, now: number): Promise<DashboardState> {
  const [daemonSets, nodes] = await Promise.all([store.listDaemonSets(), store.listNodes()]);
  const podLists = await Promise.all(
    daemonSets.map(async ({ daemonSet }) => {
      const key = keyOf(daemonSet);
      return (await store.listPods(key)).map((pod): DaemonSetPod => ({ ...pod, daemonSet: key }));
    }),
  );
  return buildDashboardState({ daemonSets, nodes, pods: podLists.flat() }, now);
}

const NOT_DECIDED: PlacementDecision = { shouldRun: false, shouldContinueRunning: false, reasons: ['unknown node'] };

function summarize(
  stored: StoredDaemonSet,
  key: string,
  currentRevision: string,
  decisions: ReadonlyMap<string, PlacementDecision>,
  podsByCell: ReadonlyMap<string, readonly Pod[]>,
  now: number,
): DashboardDaemonSet {
  const { daemonSet, status } = stored;
  const counts = status
    ? progressOfStatus(status)
    : countFromPods(daemonSet, key, currentRevision, decisions, podsByCell, now);
  const observed = status !== undefined && status.observedGeneration >= daemonSet.generation;
  const complete = observed && counts.updated >= counts.desired && counts.available >= counts.desired;
  return summarizeDaemonSet(stored, key, currentRevision, counts, complete);
}

function countFromPods(
  daemonSet: DaemonSet,
  key: string,
  currentRevision: string,
  decisions: ReadonlyMap<string, PlacementDecision>,
  podsByCell: ReadonlyMap<string, readonly Pod[]>,
  now: number,
): DaemonSetProgress {
  const counts = { desired: 0, updated: 0, available: 0, ready: 0 };
  for (const [nodeName, decision] of decisions) {
    if (!decision.shouldRun) continue;
    counts.desired += 1;
    const pod = (podsByCell.get(cellKey(key, nodeName)) ?? [])
      .filter((candidate) => candidate.deletionTimestamp === undefined)
      .toSorted((a, b) => a.creationTimestamp.localeCompare(b.creationTimestamp))[0];
    if (pod === undefined) continue;
    if (pod.revisionHash === currentRevision) counts.updated += 1;
    if (pod.ready) counts.ready += 1;
    if (isPodAvailable(pod, daemonSet.minReadySeconds, now)) counts.available += 1;
  }
  return counts;
}

function badgesOf(node: Node): readonly NodeBadge[] {
  const ready = nodeReadyStatus(node);
  return [
    ...(ready === 'True' ? [] : [{ kind: 'not-ready' as const, text: ready === 'False' ? 'NotReady' : 'Unknown' }]),
    ...(node.unschedulable ? [{ kind: 'cordoned' as const, text: 'SchedulingDisabled' }] : []),
    ...node.taints.map((taint) => ({ kind: 'taint' as const, text: formatTaint(taint) })),
  ];
}

function groupPods(pods: readonly DaemonSetPod[]): ReadonlyMap<string, readonly Pod[]> {
  const groups = new Map<string, Pod[]>();
  for (const pod of pods) {
    const key = cellKey(pod.daemonSet, pod.nodeName);
    groups.set(key, [...(groups.get(key) ?? []), pod]);
  }
  return groups;
}

const cellKey = (daemonSet: string, nodeName: string): string => `${daemonSet}\u0000${nodeName}`;

const keyOf = (daemonSet: DaemonSet): DaemonSetKey => toDaemonSetKey(daemonSet.namespace, daemonSet.name);
