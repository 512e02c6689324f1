import { randomBytes } from 'node:crypto';
import { toDaemonSetKey } from '../lib/model/daemon-set.js';
import type { Node } from '../lib/model/node.js';
import type { Pod } from '../lib/model/pod.js';
import { type PlacementAnswers, placementAnswers } from '../lib/placement/placement-answers.js';
import type { StoredDaemonSet } from '../lib/ports/cluster-store.js';
import { computeRevisionHash } from '../lib/revision/compute-revision-hash.js';
import { isPodAvailable } from '../lib/rollout/pod-availability.js';
import {
  agesAt,
  columnSummary,
  type FleetColumn,
  type FleetInput,
  type FleetView,
  fingerprintOf,
  PlacementReasonCache,
  samePodList,
} from './fleet-view.js';
import { isGatedNode, NODE_STATES, type NodeState, toNodeState } from './node-state.js';

export type FleetStateOptions = Readonly<{
  /** See `FleetViewOptions.crashLoopAfterMs`. @default 60_000 */
  crashLoopAfterMs?: number;
  reasonCache?: PlacementReasonCache;
}>;

/**
 * What a resync must leave as held: DaemonSets and nodes changed (and applied) after its full read began, so the
 * read's older facts about them would undo a newer change.
 */
export type Fresher = Readonly<{ daemonSets: ReadonlySet<string>; nodes: ReadonlySet<string> }>;

const NOTHING_FRESHER: Fresher = { daemonSets: new Set(), nodes: new Set() };

/** No state decided yet (a cell of a column being filled). */
const UNSET = 255;
const STATE_CODE: Readonly<Record<NodeState, number>> = Object.fromEntries(
  NODE_STATES.map((state, index) => [state, index]),
) as Record<NodeState, number>;
// What a cell adds to the progress counted from pods (used while a DaemonSet has no status).
const DESIRED = 1;
const UPDATED = 2;
const READY = 4;
const AVAILABLE = 8;
const NO_PODS: readonly Pod[] = [];
const NO_REASONS = (): readonly string[] => [];

type Column = {
  key: string;
  stored: StoredDaemonSet;
  /** The record as compared between reads: spec, status and the rollout the controller tracks. */
  record: string;
  placement: string;
  currentRevision: string;
  podsByNode: Map<string, readonly Pod[]>;
  states: Uint8Array;
  livePods: Uint16Array;
  answers: PlacementAnswers[];
  pods: (Pod | undefined)[];
  crashLooping: Set<number>;
  /** Per node: when its state may change with nothing else changing (epoch ms; Infinity: never). */
  agesAt: Float64Array;
  nextAgeAt: number;
  contributions: Uint8Array;
  counts: Record<NodeState, number>;
  fromPods: { desired: number; updated: number; available: number; ready: number };
  reasons: (index: number) => readonly string[];
  /** The column as last served; dropped when anything in it changes. */
  served: FleetColumn | undefined;
};

/**
 * The fleet view kept up to date from changes instead of rebuilt: per DaemonSet a state per node, the pod it is
 * about, and the counts, each changed only where a change reaches. A pod report or a reconcile step recomputes
 * the cells of the nodes it names; a node fact recomputes that node's cell in each DaemonSet; a DaemonSet's record
 * recomputes its column only when its placement or current revision changed (a status alone changes its summary);
 * a node joining or leaving moves the cells to the new node order and computes the new node's. `resync` compares a
 * full read with what is held and applies only the differences, so a missed change is repaired by the next one.
 *
 * `view(now)` serves the state as a `FleetView` (the shape every dashboard answer reads), copying only the columns
 * that changed since the last view; its `version` changes when anything it shows may have changed.
 */
export class FleetState {
  readonly #crashLoopAfterMs: number;
  readonly #reasonCache: PlacementReasonCache;
  readonly #boot = randomBytes(4).toString('hex');
  #generation = 0;
  #nodes: Node[] = [];
  #nodeIndex = new Map<string, number>();
  #fingerprints: string[] = [];
  readonly #columns = new Map<string, Column>();
  #changed = true;
  #served: FleetView | undefined;

  constructor(options: FleetStateOptions = {}) {
    this.#crashLoopAfterMs = options.crashLoopAfterMs ?? 60_000;
    this.#reasonCache = options.reasonCache ?? new PlacementReasonCache();
  }

  /** Applies what differs between a full read and the state held. */
  resync(input: FleetInput, now: number): void {
    const steps = this.resyncSteps(input, now);
    while (steps.next().done !== true);
  }

  /**
   * `resync` in steps: it pauses (yields) after the nodes and after each DaemonSet, so a server can answer requests
   * between steps (each served view holds every DaemonSet either as it was or as read).
   */
  *resyncSteps(input: FleetInput, now: number, fresher: Fresher = NOTHING_FRESHER): Generator<void, void, void> {
    const nodes =
      fresher.nodes.size === 0
        ? input.nodes
        : [
            ...input.nodes.filter((node) => !fresher.nodes.has(node.name)),
            ...this.#nodes.filter((node) => fresher.nodes.has(node.name)),
          ];
    this.#setNodes(nodes, now);
    yield;
    const keys = new Set<string>();
    const podsByDaemonSet = new Map<string, Map<string, Pod[]>>();
    for (const pod of input.pods) {
      let byNode = podsByDaemonSet.get(pod.daemonSet);
      if (byNode === undefined) {
        byNode = new Map();
        podsByDaemonSet.set(pod.daemonSet, byNode);
      }
      const onNode = byNode.get(pod.nodeName);
      if (onNode === undefined) byNode.set(pod.nodeName, [pod]);
      else onNode.push(pod);
    }
    yield;
    for (const stored of input.daemonSets) {
      const key = toDaemonSetKey(stored.daemonSet.namespace, stored.daemonSet.name);
      keys.add(key);
      if (fresher.daemonSets.has(key)) continue;
      this.#setDaemonSet(key, stored, podsByDaemonSet.get(key) ?? new Map(), now);
      yield;
    }
    for (const key of [...this.#columns.keys()]) {
      if (fresher.daemonSets.has(key)) keys.add(key);
      else if (!keys.has(key)) this.removeDaemonSet(key);
    }
    this.#reasonCache.keepOnly(keys);
  }

  /** A DaemonSet's record changed (applied, a switch, a reconcile step's status); its pods are as held. */
  applyDaemonSet(stored: StoredDaemonSet, now: number): void {
    const key = toDaemonSetKey(stored.daemonSet.namespace, stored.daemonSet.name);
    this.#setDaemonSet(key, stored, undefined, now);
  }

  /** A DaemonSet with its every pod (a full read of one DaemonSet). */
  applyDaemonSetWithPods(stored: StoredDaemonSet, pods: readonly Pod[], now: number): void {
    const key = toDaemonSetKey(stored.daemonSet.namespace, stored.daemonSet.name);
    this.#setDaemonSet(key, stored, groupByNode(pods), now);
  }

  /** The DaemonSet is gone from the store. */
  removeDaemonSet(key: string): void {
    if (this.#columns.delete(key)) this.#changed = true;
  }

  /** One DaemonSet's pods on one node (what a pod report or a reconcile step's action changed). */
  applyPods(key: string, nodeName: string, pods: readonly Pod[], now: number): void {
    const column = this.#columns.get(key);
    if (column === undefined) return;
    const before = column.podsByNode.get(nodeName) ?? NO_PODS;
    if (samePodList(before, pods)) return;
    if (pods.length === 0) column.podsByNode.delete(nodeName);
    else column.podsByNode.set(nodeName, pods);
    const index = this.#nodeIndex.get(nodeName);
    if (index !== undefined) this.#decide(column, index, now);
    this.#changed = true;
  }

  /** A node fact (undefined: the node is gone). */
  applyNode(name: string, node: Node | undefined, now: number): void {
    const index = this.#nodeIndex.get(name);
    if (node === undefined) {
      if (index !== undefined)
        this.#setNodes(
          this.#nodes.filter((each) => each.name !== name),
          now,
        );
      return;
    }
    if (index === undefined) {
      this.#setNodes([...this.#nodes, node], now);
      return;
    }
    const fingerprint = fingerprintOf(node);
    if (fingerprint === this.#fingerprints[index]) return;
    // Copied, not changed in place: a view served before keeps the nodes it was served with.
    this.#nodes = this.#nodes.with(index, node);
    this.#fingerprints[index] = fingerprint;
    this.#changed = true;
    for (const column of this.#columns.values()) {
      column.served = undefined;
      this.#bindReasons(column);
      this.#decide(column, index, now);
    }
  }

  /** Whether a DaemonSet of this key is held. */
  has(key: string): boolean {
    return this.#columns.has(key);
  }

  /** The state as a view at `now` (cells whose pods aged by then are decided again first). */
  view(now: number): FleetView {
    for (const column of this.#columns.values()) if (now >= column.nextAgeAt) this.#age(column, now);
    const served = this.#served;
    if (served !== undefined && !this.#changed) {
      return { ...served, now, generatedAt: new Date(now).toISOString() };
    }
    this.#generation += 1;
    this.#changed = false;
    const columns = [...this.#columns.values()]
      .toSorted((a, b) => compare(a.key, b.key))
      .map((column) => this.#serve(column));
    const view: FleetView = {
      now,
      generatedAt: new Date(now).toISOString(),
      nodes: this.#nodes,
      nodeIndex: this.#nodeIndex,
      columns,
      version: `${this.#boot}-${this.#generation.toString(36)}`,
    };
    this.#served = view;
    return view;
  }

  /** Takes a full node list: facts that changed recompute their cells; joins and leaves move every column. */
  #setNodes(input: readonly Node[], now: number): void {
    const sameMembers = input.length === this.#nodes.length && input.every((node) => this.#nodeIndex.has(node.name));
    if (sameMembers) {
      for (const node of input) this.applyNode(node.name, node, now);
      return;
    }
    const nodes = input.toSorted((a, b) => compare(a.name, b.name));
    const nodeIndex = new Map(nodes.map((node, index) => [node.name, index]));
    const fingerprints = nodes.map(fingerprintOf);
    const oldIndex = this.#nodeIndex;
    const oldFingerprints = this.#fingerprints;
    this.#nodes = nodes;
    this.#nodeIndex = nodeIndex;
    this.#fingerprints = fingerprints;
    this.#changed = true;
    for (const column of this.#columns.values()) {
      const before = { ...column };
      resize(column, nodes.length);
      this.#bindReasons(column);
      nodes.forEach((node, index) => {
        const was = oldIndex.get(node.name);
        if (was === undefined || oldFingerprints[was] !== fingerprints[index]) return;
        column.states[index] = before.states[was] ?? UNSET;
        column.livePods[index] = before.livePods[was] ?? 0;
        column.answers[index] = before.answers[was] as PlacementAnswers;
        column.pods[index] = before.pods[was];
        column.agesAt[index] = before.agesAt[was] ?? Number.POSITIVE_INFINITY;
        column.contributions[index] = before.contributions[was] ?? 0;
        if (before.crashLooping.has(was)) column.crashLooping.add(index);
      });
      this.#recount(column);
      for (let index = 0; index < nodes.length; index += 1) {
        if (column.states[index] === UNSET) this.#decide(column, index, now);
      }
    }
  }

  #setDaemonSet(
    key: string,
    stored: StoredDaemonSet,
    podsByNode: Map<string, readonly Pod[]> | undefined,
    now: number,
  ): void {
    const record = recordOf(stored);
    const placement = JSON.stringify(stored.daemonSet.placement);
    const currentRevision =
      stored.status?.updateRevision ?? computeRevisionHash(stored.daemonSet.template, stored.status?.collisionCount);
    let column = this.#columns.get(key);
    if (column === undefined) {
      column = newColumn(key, stored, record, placement, currentRevision, podsByNode ?? new Map());
      this.#columns.set(key, column);
      resize(column, this.#nodes.length);
      this.#bindReasons(column);
      this.#changed = true;
      for (let index = 0; index < this.#nodes.length; index += 1) this.#decide(column, index, now);
      return;
    }
    let all = false;
    if (column.record !== record) {
      this.#changed = true;
      all =
        column.placement !== placement ||
        column.currentRevision !== currentRevision ||
        column.stored.daemonSet.minReadySeconds !== stored.daemonSet.minReadySeconds;
      if (column.placement !== placement) {
        column.placement = placement;
        column.stored = stored;
        this.#bindReasons(column);
      }
      column.stored = stored;
      column.record = record;
      column.currentRevision = currentRevision;
      column.served = undefined;
    } else {
      column.stored = stored;
    }
    const touched = new Set<string>();
    if (podsByNode !== undefined) {
      for (const [nodeName, pods] of podsByNode) {
        if (!samePodList(column.podsByNode.get(nodeName) ?? NO_PODS, pods)) touched.add(nodeName);
      }
      for (const nodeName of column.podsByNode.keys()) if (!podsByNode.has(nodeName)) touched.add(nodeName);
      if (touched.size > 0) {
        column.podsByNode = podsByNode;
        this.#changed = true;
      }
    }
    if (all) {
      for (let index = 0; index < this.#nodes.length; index += 1) this.#decide(column, index, now);
      return;
    }
    for (const nodeName of touched) {
      const index = this.#nodeIndex.get(nodeName);
      if (index !== undefined) this.#decide(column, index, now);
    }
  }

  #bindReasons(column: Column): void {
    column.reasons = this.#reasonCache.forDaemonSet(column.key, column.stored.daemonSet.placement, this.#nodes);
  }

  /** Decides node `index`'s cell again and moves the counts from its old state to the new one. */
  #decide(column: Column, index: number, now: number): void {
    const node = this.#nodes[index];
    if (node === undefined) return;
    const { daemonSet } = column.stored;
    const decision = placementAnswers(node, daemonSet.placement);
    const reasons = column.reasons;
    const verdict = toNodeState({
      node,
      currentRevision: column.currentRevision,
      decision,
      reasons: isGatedNode(node) ? () => reasons(index) : NO_REASONS,
      pods: column.podsByNode.get(node.name) ?? NO_PODS,
      now,
      crashLoopAfterMs: this.#crashLoopAfterMs,
    });
    const state = STATE_CODE[verdict.state];
    const pod = verdict.pod;
    let contribution = 0;
    if (decision.shouldRun) {
      contribution |= DESIRED;
      if (pod !== undefined) {
        if (pod.revisionHash === column.currentRevision) contribution |= UPDATED;
        if (pod.ready) contribution |= READY;
        if (isPodAvailable(pod, daemonSet.minReadySeconds, now)) contribution |= AVAILABLE;
      }
    }
    const crashLooping = verdict.detail === 'crash-looping';
    const livePods = Math.min(verdict.livePods, 65_535);
    const previous = column.states[index] ?? UNSET;
    const unchanged =
      previous === state &&
      column.pods[index] === pod &&
      column.livePods[index] === livePods &&
      column.contributions[index] === contribution &&
      column.crashLooping.has(index) === crashLooping &&
      column.answers[index]?.shouldRun === decision.shouldRun;
    column.answers[index] = decision;
    const age = agesAt(pod, daemonSet.minReadySeconds, now, this.#crashLoopAfterMs);
    column.agesAt[index] = age;
    if (age < column.nextAgeAt) column.nextAgeAt = age;
    if (unchanged) return;
    if (previous !== UNSET) column.counts[NODE_STATES[previous] as NodeState] -= 1;
    column.counts[verdict.state] += 1;
    addContribution(column, column.contributions[index] ?? 0, -1);
    addContribution(column, contribution, 1);
    column.contributions[index] = contribution;
    column.states[index] = state;
    column.livePods[index] = livePods;
    column.pods[index] = pod;
    if (crashLooping) column.crashLooping.add(index);
    else column.crashLooping.delete(index);
    column.served = undefined;
    this.#changed = true;
  }

  /** Decides again the cells whose pods aged (turned available, or crash-looping) by `now`. */
  #age(column: Column, now: number): void {
    column.nextAgeAt = Number.POSITIVE_INFINITY;
    for (let index = 0; index < column.agesAt.length; index += 1) {
      const at = column.agesAt[index] ?? Number.POSITIVE_INFINITY;
      if (at <= now) this.#decide(column, index, now);
      else if (at < column.nextAgeAt) column.nextAgeAt = at;
    }
  }

  #recount(column: Column): void {
    for (const state of NODE_STATES) column.counts[state] = 0;
    column.fromPods = { desired: 0, updated: 0, available: 0, ready: 0 };
    column.nextAgeAt = Number.POSITIVE_INFINITY;
    column.states.forEach((state, index) => {
      if (state === UNSET) return;
      column.counts[NODE_STATES[state] as NodeState] += 1;
      addContribution(column, column.contributions[index] ?? 0, 1);
      const at = column.agesAt[index] ?? Number.POSITIVE_INFINITY;
      if (at < column.nextAgeAt) column.nextAgeAt = at;
    });
  }

  #serve(column: Column): FleetColumn {
    if (column.served !== undefined) return column.served;
    const counts = { ...column.counts };
    const served: FleetColumn = {
      stored: column.stored,
      key: column.key,
      currentRevision: column.currentRevision,
      states: column.states.slice(),
      answers: column.answers.slice(),
      reasons: column.reasons,
      pods: column.pods.slice(),
      livePods: column.livePods.slice(),
      crashLooping: new Set(column.crashLooping),
      summary: columnSummary(column.stored, column.key, column.currentRevision, counts, { ...column.fromPods }),
      signature: column.record,
      podsByNode: new Map(column.podsByNode),
      stableUntil: column.nextAgeAt,
      digest: `${this.#boot}-${this.#generation.toString(36)}`,
    };
    column.served = served;
    return served;
  }
}

function newColumn(
  key: string,
  stored: StoredDaemonSet,
  record: string,
  placement: string,
  currentRevision: string,
  podsByNode: Map<string, readonly Pod[]>,
): Column {
  return {
    key,
    stored,
    record,
    placement,
    currentRevision,
    podsByNode,
    states: new Uint8Array(0),
    livePods: new Uint16Array(0),
    answers: [],
    pods: [],
    crashLooping: new Set(),
    agesAt: new Float64Array(0),
    nextAgeAt: Number.POSITIVE_INFINITY,
    contributions: new Uint8Array(0),
    counts: Object.fromEntries(NODE_STATES.map((state) => [state, 0])) as Record<NodeState, number>,
    fromPods: { desired: 0, updated: 0, available: 0, ready: 0 },
    reasons: NO_REASONS,
    served: undefined,
  };
}

/** Gives the column empty cells for `size` nodes (every state unset). */
function resize(column: Column, size: number): void {
  column.states = new Uint8Array(size).fill(UNSET);
  column.livePods = new Uint16Array(size);
  column.answers = new Array<PlacementAnswers>(size);
  column.pods = new Array<Pod | undefined>(size).fill(undefined);
  column.crashLooping = new Set();
  column.agesAt = new Float64Array(size).fill(Number.POSITIVE_INFINITY);
  column.contributions = new Uint8Array(size);
  column.served = undefined;
  for (const state of NODE_STATES) column.counts[state] = 0;
  column.fromPods = { desired: 0, updated: 0, available: 0, ready: 0 };
  column.nextAgeAt = Number.POSITIVE_INFINITY;
}

function addContribution(column: Column, contribution: number, sign: 1 | -1): void {
  if (contribution & DESIRED) column.fromPods.desired += sign;
  if (contribution & UPDATED) column.fromPods.updated += sign;
  if (contribution & READY) column.fromPods.ready += sign;
  if (contribution & AVAILABLE) column.fromPods.available += sign;
}

function recordOf(stored: StoredDaemonSet): string {
  return `${JSON.stringify(stored.daemonSet)}\u0000${JSON.stringify(stored.status ?? null)}\u0000${JSON.stringify(stored.memory.rollout ?? null)}`;
}

function groupByNode(pods: readonly Pod[]): Map<string, readonly Pod[]> {
  const byNode = new Map<string, Pod[]>();
  for (const pod of pods) {
    const onNode = byNode.get(pod.nodeName);
    if (onNode === undefined) byNode.set(pod.nodeName, [pod]);
    else onNode.push(pod);
  }
  return byNode;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
