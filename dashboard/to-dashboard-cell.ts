import type { Pod } from '../lib/model/pod.js';
import type { PlacementDecision } from '../lib/placement/node-should-run-daemon-pod.js';
import type { CellState, DashboardCell } from './dashboard-state.js';

/** The text mark shown with each state's colour. */
export const CELL_SYMBOLS: Readonly<Record<CellState, string>> = {
  current: '✓',
  old: '↻',
  pending: '…',
  failed: '✗',
  terminating: '⊘',
  missing: '○',
  'not-eligible': '–',
};

export type CellInput = Readonly<{
  daemonSet: string;
  currentRevision: string;
  decision: PlacementDecision;
  /** This DaemonSet's pods on this node, terminating ones included. */
  pods: readonly Pod[];
}>;

/**
 * Decides what one grid cell shows. The pod shown is the newest live pod of the current revision, else the
 * oldest live pod (the one Kubernetes keeps); terminating pods show only when nothing else is left.
 */
export function toDashboardCell(input: CellInput): DashboardCell {
  const { daemonSet, currentRevision, decision, pods } = input;
  const live = pods.filter((pod) => pod.deletionTimestamp === undefined).toSorted(byCreation);
  const pod = live.findLast((candidate) => candidate.revisionHash === currentRevision) ?? live[0];
  if (pod === undefined) {
    if (pods.length > 0) return cell(daemonSet, 'terminating', 'terminating', `${pods.length} pod(s) terminating`);
    if (decision.shouldRun) return cell(daemonSet, 'missing', 'no pod', 'should run here: waiting for a pod');
    return cell(daemonSet, 'not-eligible', 'not eligible', `not eligible: ${decision.reasons.join('; ')}`);
  }
  const extra = [
    ...(live.length > 1 ? [`${live.length} live pods on this node`] : []),
    ...(decision.shouldContinueRunning ? [] : [`should not run here: ${decision.reasons.join('; ')}`]),
  ];
  const describe = (summary: string) => [`${pod.name}: ${summary}`, ...extra].join('\n');
  const withPod = (state: CellState, label: string, summary: string): DashboardCell => ({
    ...cell(daemonSet, state, label, describe(summary)),
    pod: pod.name,
    revisionHash: pod.revisionHash,
  });
  if (pod.phase === 'Failed') return withPod('failed', 'failed', `failed (revision ${pod.revisionHash})`);
  if (pod.revisionHash !== currentRevision) {
    return withPod('old', `old ${pod.revisionHash.slice(0, 5)}`, `old revision ${pod.revisionHash}, ${readiness(pod)}`);
  }
  if (!pod.ready) return withPod('pending', pod.phase.toLowerCase(), `current revision, ${readiness(pod)}`);
  return withPod('current', 'ready', `current revision ${pod.revisionHash}, ready`);
}

function cell(daemonSet: string, state: CellState, label: string, title: string): DashboardCell {
  return { daemonSet, state, symbol: CELL_SYMBOLS[state], label, title };
}

function readiness(pod: Pod): string {
  return pod.ready ? 'ready' : `${pod.phase}, not ready`;
}

function byCreation(a: Pod, b: Pod): number {
  return a.creationTimestamp.localeCompare(b.creationTimestamp) || a.name.localeCompare(b.name);
}
