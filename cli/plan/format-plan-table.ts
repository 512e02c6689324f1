import { daemonSetObjectName } from '../../lib/manifest/object-name.js';
import { formatTable } from '../output/format-table.js';
import type { PlanNode, PlanReport } from './plan-report.js';

/** The marks of the node table, each paired with a word so the table reads without colour or fonts. */
export const PLACEMENT_MARKS = {
  runs: { mark: '✓', word: 'yes', legend: 'runs a pod' },
  keeps: { mark: '◐', word: 'keeps running', legend: 'keeps a pod it already runs, gets no new one' },
  none: { mark: '✗', word: 'no', legend: 'runs no pod' },
} as const;

/** The marks of a gated node's row (taint `everynode.io/startup`), in the legend only when a node is gated. */
export const STARTUP_GATE_MARKS = {
  atOnce: { mark: '✓', word: 'yes, at once (startup-critical)', legend: '' },
  afterGate: { mark: '◷', word: 'after the startup gate', legend: 'gets a pod once the node’s startup gate opens' },
} as const;

/**
 * The startup gate across the DaemonSets planned: for each gated node (taint `everynode.io/startup`), the
 * DaemonSets it gets at once (startup-critical) and those it gets only after the gate opens. Empty when no node
 * is gated.
 */
export function formatStartupGateSummary(reports: readonly PlanReport[]): string {
  const byNode = new Map<string, { atOnce: string[]; afterGate: string[] }>();
  for (const report of reports) {
    for (const node of report.nodes) {
      if (node.startupGate === undefined) continue;
      const entry = byNode.get(node.name) ?? { atOnce: [], afterGate: [] };
      entry[node.startupGate].push(`${report.daemonSet.namespace}/${report.daemonSet.name}`);
      byNode.set(node.name, entry);
    }
  }
  if (byNode.size === 0) return '';
  const rows = [...byNode].map(([name, { atOnce, afterGate }]) => [
    name,
    atOnce.join(', ') || '<none>',
    afterGate.join(', ') || '<none>',
  ]);
  return [
    'Startup gate (nodes with the everynode.io/startup taint):',
    '',
    formatTable(['NODE', 'AT ONCE (STARTUP-CRITICAL)', 'AFTER THE GATE OPENS'], rows),
  ].join('\n');
}

/**
 * `everynode plan` for people: a header, one row per node (a mark, the node, whether it runs a pod, and
 * why not), the actions of one reconcile step, and the status line.
 */
export function formatPlanTable(report: PlanReport): string {
  const { daemonSet, rollingUpdate } = report;
  const budget = rollingUpdate
    ? ` · RollingUpdate maxUnavailable=${rollingUpdate.maxUnavailable} maxSurge=${rollingUpdate.maxSurge}`
    : ' · OnDelete';
  const header = `${daemonSetObjectName(daemonSet)} (${daemonSet.namespace}) · revision ${report.revision}${budget}`;
  const nodes =
    report.nodes.length === 0
      ? 'no nodes'
      : formatTable(
          ['', 'NODE', 'DAEMON POD', 'REASONS'],
          report.nodes.map((node) => {
            const placement = placementOf(node);
            return [placement.mark, node.name, placement.word, node.reasons.join('; ')];
          }),
        );
  const actions =
    report.actions.length === 0
      ? ['  none: this step changes nothing']
      : report.actions.map((action) =>
          action.action === 'create'
            ? `  + create a pod on ${action.node}`
            : `  - delete pod ${action.pod} on ${action.node} (${action.reason})`,
        );
  const { status } = report;
  const statusLine = [
    `desired ${status.desiredNumberScheduled}`,
    `current ${status.currentNumberScheduled}`,
    `up-to-date ${status.updatedNumberScheduled}`,
    `ready ${status.numberReady}`,
    `available ${status.numberAvailable}`,
    `unavailable ${status.numberUnavailable}`,
    `misscheduled ${status.numberMisscheduled}`,
  ].join(' · ');
  const gated = report.nodes.some((node) => node.startupGate === 'afterGate');
  const legend = [...Object.values(PLACEMENT_MARKS), ...(gated ? [STARTUP_GATE_MARKS.afterGate] : [])]
    .map(({ mark, legend }) => `${mark} ${legend}`)
    .join(' · ');
  return [
    header,
    '',
    nodes,
    '',
    `(${legend})`,
    '',
    'Actions (one reconcile step):',
    ...actions,
    '',
    `Status: ${statusLine}`,
  ].join('\n');
}

function placementOf(node: PlanNode): Readonly<{ mark: string; word: string }> {
  if (node.startupGate !== undefined) return STARTUP_GATE_MARKS[node.startupGate];
  if (node.shouldRun) return PLACEMENT_MARKS.runs;
  return node.shouldContinueRunning ? PLACEMENT_MARKS.keeps : PLACEMENT_MARKS.none;
}
