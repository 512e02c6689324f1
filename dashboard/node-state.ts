import type { Node } from '../lib/model/node.js';
import type { Pod } from '../lib/model/pod.js';
import type { PlacementAnswers } from '../lib/placement/placement-answers.js';

/**
 * What one DaemonSet looks like on one node, as the fleet view counts and draws it:
 * - `current`: its pod runs the current revision and is ready.
 * - `old`: its pod runs an older revision (waiting to be updated).
 * - `pending`: its pod runs the current revision and is not ready yet.
 * - `failed`: its pod failed (phase Failed), or it is crash-looping: Running but not ready for longer than
 *   the view's `crashLoopAfterMs` (pod status carries no restart count yet, so this is how a container that
 *   keeps restarting shows).
 * - `terminating`: the only pods left are being deleted.
 * - `missing`: the node should run a pod and has none.
 * - `gated`: no pod because the node still carries the startup taint (`everynode.io/startup`), and that
 *   taint is all that keeps the pod away.
 * - `not-eligible`: the node should not run a pod (the placement reasons say why).
 */
export const NODE_STATES = [
  'current',
  'old',
  'pending',
  'failed',
  'terminating',
  'missing',
  'gated',
  'not-eligible',
] as const;

export type NodeState = (typeof NODE_STATES)[number];

/** The text mark shown with each state's colour, so no state depends on colour alone. */
export const NODE_STATE_SYMBOLS: Readonly<Record<NodeState, string>> = {
  current: '✓',
  old: '↻',
  pending: '…',
  failed: '✗',
  terminating: '⊘',
  missing: '○',
  gated: '◇',
  'not-eligible': '–',
};

export const NODE_STATE_TEXT: Readonly<Record<NodeState, string>> = {
  current: 'current and ready',
  old: 'old revision',
  pending: 'pending / not ready',
  failed: 'failed or crash-looping',
  terminating: 'terminating',
  missing: 'should run, no pod',
  gated: 'gated (startup taint)',
  'not-eligible': 'not eligible',
};

/** The taint key that holds a node back until its startup DaemonSets are ready. */
export const STARTUP_TAINT_KEY = 'everynode.io/startup';

export type NodeStateInput = Readonly<{
  node: Node;
  currentRevision: string;
  decision: PlacementAnswers;
  /** The placement reasons (empty when `decision.shouldRun`); asked only for a gated node without a pod. */
  reasons: () => readonly string[];
  /** This DaemonSet's pods on this node, terminating ones included. */
  pods: readonly Pod[];
  /** Epoch ms. */
  now: number;
  /** A Running pod not ready for longer than this since it was created counts as crash-looping. */
  crashLoopAfterMs: number;
}>;

export type NodeStateVerdict = Readonly<{
  state: NodeState;
  /** The pod the state is about: the newest live pod of the current revision, else the oldest live pod. */
  pod?: Pod;
  /** Live pods on the node (more than one during a surge or a duplicate). */
  livePods: number;
  /** `crash-looping` when `failed` comes from a pod that stays unready. */
  detail?: 'crash-looping';
}>;

/** Decides one node's state for one DaemonSet. Pure: `now` only ages unready pods. */
export function toNodeState(input: NodeStateInput): NodeStateVerdict {
  const { node, currentRevision, decision, pods, now, crashLoopAfterMs } = input;
  const live =
    pods.length === 1 && pods[0]?.deletionTimestamp === undefined
      ? pods
      : pods.filter((pod) => pod.deletionTimestamp === undefined).toSorted(byCreation);
  const pod = live.findLast((candidate) => candidate.revisionHash === currentRevision) ?? live[0];
  if (pod === undefined) {
    if (pods.length > 0) return { state: 'terminating', livePods: 0 };
    if (isGatedOnly(node, decision, input.reasons)) return { state: 'gated', livePods: 0 };
    return { state: decision.shouldRun ? 'missing' : 'not-eligible', livePods: 0 };
  }
  const livePods = live.length;
  if (pod.phase === 'Failed') return { state: 'failed', pod, livePods };
  if (!pod.ready && pod.phase === 'Running' && now - Date.parse(pod.creationTimestamp) > crashLoopAfterMs) {
    return { state: 'failed', pod, livePods, detail: 'crash-looping' };
  }
  if (pod.revisionHash !== currentRevision) return { state: 'old', pod, livePods };
  return { state: pod.ready ? 'current' : 'pending', pod, livePods };
}

/** Whether the node carries the startup taint. */
export function isGatedNode(node: Node): boolean {
  return node.taints.some((taint) => taint.key === STARTUP_TAINT_KEY);
}

/**
 * A gated node with no pod: the pod should run there, or the startup taint is the only reason it may not
 * (a node the DaemonSet's selector excludes stays `not-eligible` while it is gated).
 */
function isGatedOnly(node: Node, decision: PlacementAnswers, reasons: () => readonly string[]): boolean {
  if (!isGatedNode(node)) return false;
  return decision.shouldRun || reasons().every(isStartupTaintReason);
}

const isStartupTaintReason = (reason: string): boolean =>
  reason.startsWith(`taint ${STARTUP_TAINT_KEY}=`) || reason.startsWith(`taint ${STARTUP_TAINT_KEY}:`);

function byCreation(a: Pod, b: Pod): number {
  return a.creationTimestamp.localeCompare(b.creationTimestamp) || a.name.localeCompare(b.name);
}
