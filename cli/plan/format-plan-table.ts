import { daemonSetObjectName } from '../../lib/manifest/object-name.js';
import { formatTable } from '../output/format-table.js';
import type { PlanNode, PlanReport } from './plan-report.js';

/** The marks of the node table, each paired with a word so the table reads without colour or fonts. */
export const PLACEMENT_MARKS = {
  runs: { mark: '✓', word: 'yes', legend: 'runs a pod' },
  keeps: { mark: '◐', word: 'keeps running', legend: 'keeps a pod it already runs, gets no new one' },
  none: { mark: '✗', word: 'no', legend: 'runs no pod' },
} as const;

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
  const legend = Object.values(PLACEMENT_MARKS)
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

function placementOf(node: PlanNode): (typeof PLACEMENT_MARKS)[keyof typeof PLACEMENT_MARKS] {
  if (node.shouldRun) return PLACEMENT_MARKS.runs;
  return node.shouldContinueRunning ? PLACEMENT_MARKS.keeps : PLACEMENT_MARKS.none;
}
