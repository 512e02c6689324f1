import { createHash } from 'node:crypto';
import { toDaemonSetKey } from '../lib/model/daemon-set.js';
import type { Node } from '../lib/model/node.js';
import { POD_PHASES, type Pod } from '../lib/model/pod.js';
import { nodeShouldRunDaemonPod } from '../lib/placement/node-should-run-daemon-pod.js';
import { type PlacementAnswers, placementAnswers } from '../lib/placement/placement-answers.js';
import type { StoredDaemonSet } from '../lib/ports/cluster-store.js';
import { computeRevisionHash } from '../lib/revision/compute-revision-hash.js';
import { isPodAvailable } from '../lib/rollout/pod-availability.js';
import { rolloutBudget } from '../lib/rollout/rollout-budget.js';
import type { DaemonSetPod } from './build-dashboard-state.js';
import type { DashboardDaemonSet } from './dashboard-state.js';
import { isGatedNode, NODE_STATES, type NodeState, toNodeState } from './node-state.js';
import { type DaemonSetProgress, progressOfStatus, summarizeDaemonSet } from './summarize-daemon-set.js';

const NO_REASONS = (): readonly string[] => [];

export type FleetInput = Readonly<{
  daemonSets: readonly StoredDaemonSet[];
  nodes: readonly Node[];
  pods: readonly DaemonSetPod[];
}>;

export type FleetViewOptions = Readonly<{
  /** A Running pod not ready this long after its creation counts as crash-looping. @default 60_000 */
  crashLoopAfterMs?: number;
  /** Keeps placement reasons from one view to the next (a service passes the same one every refresh). */
  reasonCache?: PlacementReasonCache;
  /**
   * The view before this one: a DaemonSet whose record, pods and nodes are unchanged, and none of whose states
   * can have aged since, keeps its column instead of deciding every node again.
   */
  previous?: FleetView;
}>;

export type StateCounts = Readonly<Record<NodeState, number>>;

/** One DaemonSet's row of the fleet summary: progress, state counts, switches and warnings. */
export type DaemonSetSummary = DashboardDaemonSet &
  Readonly<{
    unavailable: number;
    /** `maxUnavailable` scaled against `desired` (what the rollout may take down at once). */
    maxUnavailable: number;
    /** Nodes by state; they add up to the number of nodes. */
    states: StateCounts;
    /** The current rollout, when the controller tracks one (epoch ms). */
    rollout?: Readonly<{ revisionHash: string; startedAt: number; deadlineAt?: number }>;
  }>;

/** One DaemonSet across the fleet: a state per node (in the view's node order) and what explains it. */
export type FleetColumn = Readonly<{
  stored: StoredDaemonSet;
  key: string;
  currentRevision: string;
  /** `NODE_STATES` index per node. */
  states: Uint8Array;
  /** Per node: the placement answers. */
  answers: readonly PlacementAnswers[];
  /** Node `index`'s placement reasons (empty when the pod should run), computed on first use. */
  reasons: (index: number) => readonly string[];
  /** Per node: the pod the state is about, if any. */
  pods: readonly (Pod | undefined)[];
  /** Per node: live pods, and `crash-looping` where that is why the state is `failed`. */
  livePods: Uint16Array;
  crashLooping: ReadonlySet<number>;
  summary: DaemonSetSummary;
  /** The DaemonSet record and the nodes the column was decided from. */
  signature: string;
  /** The DaemonSet's pods by node, as the column was decided from them. */
  podsByNode: ReadonlyMap<string, readonly Pod[]>;
  /** Epoch ms from which a state may differ with the same inputs (a pod turns available or crash-looping). */
  stableUntil: number;
  /** Hash of what the column shows (summary, states, live pods, pod phases). */
  digest: string;
}>;

/**
 * The whole fleet as the dashboard serves it, on the server: nodes sorted by name, one column per DaemonSet
 * (sorted by key). Every dashboard endpoint answers from it, so the page only ever downloads aggregates and
 * pages. `version` changes when something the endpoints return may have changed (it is their ETag). The service
 * serves the one `FleetState` keeps up to date; `buildFleetView` builds one from scratch.
 */
export type FleetView = Readonly<{
  now: number;
  generatedAt: string;
  nodes: readonly Node[];
  nodeIndex: ReadonlyMap<string, number>;
  columns: readonly FleetColumn[];
  version: string;
}>;

const STATE_CODE: Readonly<Record<NodeState, number>> = Object.fromEntries(
  NODE_STATES.map((state, index) => [state, index]),
) as Record<NodeState, number>;

/**
 * Builds the fleet view from scratch. Pure: `now` ages pods (availability, crash-looping) and stamps the result.
 * The reference `FleetState` is checked against (a property test), and the benchmark's baseline.
 */
export function buildFleetView(input: FleetInput, now: number, options: FleetViewOptions = {}): FleetView {
  const steps = fleetViewSteps(input, now, options);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/**
 * `buildFleetView` in steps: it pauses (yields) after grouping the pods and after each DaemonSet's column, so
 * a server can let requests through between steps instead of blocking on a whole 10,000-node view.
 */
export function* fleetViewSteps(
  input: FleetInput,
  now: number,
  options: FleetViewOptions = {},
): Generator<void, FleetView, void> {
  const crashLoopAfterMs = options.crashLoopAfterMs ?? 60_000;
  const reasonCache = options.reasonCache ?? new PlacementReasonCache();
  const nodes = input.nodes.toSorted((a, b) => compare(a.name, b.name));
  const nodeIndex = new Map(nodes.map((node, index) => [node.name, index]));
  const nodesKey = createHash('sha1')
    .update(nodes.map((node) => `${node.name}\u0000${fingerprintOf(node)}`).join('\u0001'))
    .digest('base64url');
  const podsByDaemonSet = new Map<string, Map<string, Pod[]>>();
  for (const pod of input.pods) {
    const byNode = podsByDaemonSet.get(pod.daemonSet) ?? new Map<string, Pod[]>();
    podsByDaemonSet.set(pod.daemonSet, byNode);
    const onNode = byNode.get(pod.nodeName);
    if (onNode === undefined) byNode.set(pod.nodeName, [pod]);
    else onNode.push(pod);
  }
  const previous = new Map((options.previous?.columns ?? []).map((column) => [column.key, column]));
  yield;
  const columns: FleetColumn[] = [];
  const sorted = input.daemonSets
    .map((stored) => ({ stored, key: toDaemonSetKey(stored.daemonSet.namespace, stored.daemonSet.name) }))
    .toSorted((a, b) => compare(a.key, b.key));
  for (const { stored, key } of sorted) {
    const signature = createHash('sha1')
      .update(`${nodesKey}\u0000${crashLoopAfterMs}\u0000${JSON.stringify(stored.daemonSet)}`)
      .update(`\u0000${JSON.stringify(stored.status ?? null)}\u0000${JSON.stringify(stored.memory.rollout ?? null)}`)
      .digest('base64url');
    const pods = podsByDaemonSet.get(key) ?? new Map<string, Pod[]>();
    const before = previous.get(key);
    if (
      before !== undefined &&
      before.signature === signature &&
      now < before.stableUntil &&
      samePods(before.podsByNode, pods)
    ) {
      columns.push(before);
      continue;
    }
    columns.push(buildColumn(stored, key, nodes, pods, { now, crashLoopAfterMs, reasonCache, signature }));
    yield;
  }
  reasonCache.keepOnly(new Set(columns.map((column) => column.key)));
  const version = createHash('sha1').update(nodesKey);
  for (const column of columns) version.update(column.digest);
  return {
    now,
    generatedAt: new Date(now).toISOString(),
    nodes,
    nodeIndex,
    columns,
    version: version.digest('base64url').slice(0, 16),
  };
}

type ColumnContext = Readonly<{
  now: number;
  crashLoopAfterMs: number;
  reasonCache: PlacementReasonCache;
  signature: string;
}>;

function buildColumn(
  stored: StoredDaemonSet,
  key: string,
  nodes: readonly Node[],
  podsByNode: ReadonlyMap<string, readonly Pod[]>,
  context: ColumnContext,
): FleetColumn {
  const { now, crashLoopAfterMs, reasonCache } = context;
  const { daemonSet, status } = stored;
  let stableUntil = Number.POSITIVE_INFINITY;
  const currentRevision = status?.updateRevision ?? computeRevisionHash(daemonSet.template, status?.collisionCount);
  const states = new Uint8Array(nodes.length);
  const livePods = new Uint16Array(nodes.length);
  const answers: PlacementAnswers[] = [];
  const reasons = reasonCache.forDaemonSet(key, daemonSet.placement, nodes);
  const pods: (Pod | undefined)[] = [];
  const crashLooping = new Set<number>();
  const counts = Object.fromEntries(NODE_STATES.map((state) => [state, 0])) as Record<NodeState, number>;
  const fromPods = { desired: 0, updated: 0, available: 0, ready: 0 };
  nodes.forEach((node, index) => {
    const decision = placementAnswers(node, daemonSet.placement);
    const verdict = toNodeState({
      node,
      currentRevision,
      decision,
      reasons: isGatedNode(node) ? () => reasons(index) : NO_REASONS,
      pods: podsByNode.get(node.name) ?? [],
      now,
      crashLoopAfterMs,
    });
    states[index] = STATE_CODE[verdict.state];
    livePods[index] = Math.min(verdict.livePods, 65_535);
    answers.push(decision);
    pods.push(verdict.pod);
    counts[verdict.state] += 1;
    if (verdict.detail === 'crash-looping') crashLooping.add(index);
    stableUntil = Math.min(stableUntil, agesAt(verdict.pod, daemonSet.minReadySeconds, now, crashLoopAfterMs));
    if (!decision.shouldRun) return;
    fromPods.desired += 1;
    const pod = verdict.pod;
    if (pod === undefined) return;
    if (pod.revisionHash === currentRevision) fromPods.updated += 1;
    if (pod.ready) fromPods.ready += 1;
    if (isPodAvailable(pod, daemonSet.minReadySeconds, now)) fromPods.available += 1;
  });
  const summary = columnSummary(stored, key, currentRevision, counts, fromPods);
  const phases = new Uint8Array(pods.length);
  pods.forEach((pod, index) => {
    phases[index] = pod === undefined ? 0 : 1 + POD_PHASES.indexOf(pod.phase) * 2 + (pod.ready ? 1 : 0);
  });
  // States and counts already tell revision and readiness; the phase is what a node page adds (names are left
  // out: a replaced pod passes through a state of its own).
  const digest = createHash('sha1')
    .update(JSON.stringify(summary))
    .update(states)
    .update(livePods)
    .update(phases)
    .digest('base64url');
  return {
    stored,
    key,
    currentRevision,
    states,
    answers,
    reasons,
    pods,
    livePods,
    crashLooping,
    summary,
    signature: context.signature,
    podsByNode,
    stableUntil,
    digest,
  };
}

/**
 * A DaemonSet's row of the summary from its node states and, when it has no status yet (not reconciled), the
 * counts its pods give.
 */
export function columnSummary(
  stored: StoredDaemonSet,
  key: string,
  currentRevision: string,
  counts: StateCounts,
  fromPods: DaemonSetProgress,
): DaemonSetSummary {
  const { daemonSet, status, memory } = stored;
  const progress = status ? progressOfStatus(status) : fromPods;
  // Without a status (not reconciled yet) the pods alone say whether the rollout is done.
  const observed = status === undefined || status.observedGeneration >= daemonSet.generation;
  const complete = observed && progress.updated >= progress.desired && progress.available >= progress.desired;
  const deadline = daemonSet.rollout.progressDeadlineSeconds;
  const rollout = memory.rollout;
  return {
    ...summarizeDaemonSet(stored, key, currentRevision, progress, complete),
    unavailable: Math.max(0, progress.desired - progress.available),
    maxUnavailable: rolloutBudget(daemonSet.updateStrategy, progress.desired).maxUnavailable,
    states: counts,
    ...(rollout === undefined
      ? {}
      : {
          rollout: {
            revisionHash: rollout.revisionHash,
            startedAt: rollout.startedAt,
            ...(deadline === undefined ? {} : { deadlineAt: rollout.lastProgressAt + deadline * 1000 }),
          },
        }),
  };
}

/** Whether two pod lists by node hold the same pods with the same status (compared field by field, no copies). */
export function samePods(a: ReadonlyMap<string, readonly Pod[]>, b: ReadonlyMap<string, readonly Pod[]>): boolean {
  if (a.size !== b.size) return false;
  for (const [nodeName, pods] of b) {
    const before = a.get(nodeName);
    if (before === undefined || !samePodList(before, pods)) return false;
  }
  return true;
}

/** Whether two lists hold the same pods, in order, with the same status (the fields a view shows). */
export function samePodList(a: readonly Pod[], b: readonly Pod[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index += 1) {
    const x = a[index];
    const y = b[index];
    if (x === y) continue;
    if (
      x === undefined ||
      y === undefined ||
      x.name !== y.name ||
      x.revisionHash !== y.revisionHash ||
      x.phase !== y.phase ||
      x.ready !== y.ready ||
      x.scheduled !== y.scheduled ||
      x.creationTimestamp !== y.creationTimestamp ||
      x.readySince !== y.readySince ||
      x.deletionTimestamp !== y.deletionTimestamp
    ) {
      return false;
    }
  }
  return true;
}

/** When a pod's state may change with nothing else changing: it turns available, or counts as crash-looping. */
export function agesAt(pod: Pod | undefined, minReadySeconds: number, now: number, crashLoopAfterMs: number): number {
  if (pod === undefined) return Number.POSITIVE_INFINITY;
  if (!pod.ready && pod.phase === 'Running') {
    const crashLoops = Date.parse(pod.creationTimestamp) + crashLoopAfterMs;
    return crashLoops >= now ? crashLoops : Number.POSITIVE_INFINITY;
  }
  if (pod.ready && minReadySeconds > 0 && pod.readySince !== undefined) {
    const available = Date.parse(pod.readySince) + minReadySeconds * 1000;
    return available >= now ? available : Number.POSITIVE_INFINITY;
  }
  return Number.POSITIVE_INFINITY;
}

/** The state of node `index` in a column. */
export function stateAt(column: FleetColumn, index: number): NodeState {
  return NODE_STATES[column.states[index] ?? 0] ?? 'current';
}

/**
 * Placement reasons are strings built per node: too slow to build for every node of every DaemonSet at each
 * refresh (10,000 × 10 is most of a second), and asked for only by why-not, node pages and gated nodes.
 * This cache builds them on first use and keeps them while the DaemonSet's placement and the node (its
 * `resourceVersion`, or its content when it has none) stay the same.
 */
export class PlacementReasonCache {
  readonly #byDaemonSet = new Map<
    string,
    { placement: string; byNode: Map<string, Readonly<{ fingerprint: string; reasons: readonly string[] }>> }
  >();

  /** Node `index` → its reasons, for one DaemonSet over one view's nodes. */
  forDaemonSet(
    key: string,
    placement: FleetColumn['stored']['daemonSet']['placement'],
    nodes: readonly Node[],
  ): (index: number) => readonly string[] {
    const placementJson = JSON.stringify(placement);
    let entry = this.#byDaemonSet.get(key);
    if (entry === undefined || entry.placement !== placementJson) {
      entry = { placement: placementJson, byNode: new Map() };
      this.#byDaemonSet.set(key, entry);
    }
    const byNode = entry.byNode;
    const memo = new Map<number, readonly string[]>();
    return (index) => {
      const known = memo.get(index);
      if (known !== undefined) return known;
      const node = nodes[index];
      if (node === undefined) return [];
      const fingerprint = fingerprintOf(node);
      const cached = byNode.get(node.name);
      const reasons =
        cached !== undefined && cached.fingerprint === fingerprint
          ? cached.reasons
          : nodeShouldRunDaemonPod(node, placement).reasons;
      if (cached === undefined || cached.reasons !== reasons) byNode.set(node.name, { fingerprint, reasons });
      memo.set(index, reasons);
      return reasons;
    };
  }

  /** Forgets DaemonSets that are gone. */
  keepOnly(keys: ReadonlySet<string>): void {
    for (const key of [...this.#byDaemonSet.keys()]) if (!keys.has(key)) this.#byDaemonSet.delete(key);
  }
}

const nodeFingerprints = new WeakMap<Node, string>();

/**
 * What the dashboard shows of a node (labels, taints, cordon, conditions, creation), once per node object (stores
 * that cache nodes hand out the same objects). Placement reasons depend on nothing else.
 */
export function fingerprintOf(node: Node): string {
  let fingerprint = nodeFingerprints.get(node);
  if (fingerprint === undefined) {
    const labels = Object.entries(node.labels).map(([key, value]) => `${key}=${value}`);
    const taints = node.taints.map((taint) => `${taint.key}=${taint.value ?? ''}:${taint.effect}`);
    const conditions = node.conditions.map((c) => `${c.type}:${c.status}:${c.reason ?? ''}:${c.message ?? ''}`);
    fingerprint = [
      labels.join('\u0002'),
      taints.join('\u0002'),
      conditions.join('\u0002'),
      String(node.unschedulable),
      node.creationTimestamp ?? '',
    ].join('\u0003');
    nodeFingerprints.set(node, fingerprint);
  }
  return fingerprint;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
