import { labelSelectorMatches } from '../../lib/labels/label-selector-matches.js';
import type { DaemonSet } from '../../lib/model/daemon-set.js';
import type { Pod } from '../../lib/model/pod.js';
import { CliError, EXIT_CODES } from '../cli-error.js';
import type { ConnectionOptions } from '../command-options.js';
import { loadDaemonSet, loadNodes, loadPods } from '../input/load-manifests.js';
import { buildPlanSnapshot } from '../plan/build-plan-snapshot.js';
import { formatPlanTable } from '../plan/format-plan-table.js';
import { type PlanReport, planReport } from '../plan/plan-report.js';

export type PlanOptions = Readonly<{
  filename: string;
  nodes?: string;
  pods?: string;
  now?: string;
  live?: boolean;
  output: 'table' | 'json';
}> &
  ConnectionOptions;

/**
 * `everynode plan`: one reconcile step on a snapshot read from files (or, with `--live`, from the running
 * API), printed as a table or as the JSON contract of {@link PlanReport}.
 */
export async function runPlan(options: PlanOptions): Promise<void> {
  const now = parseNow(options.now);
  if (options.live) {
    const { planLive } = await import('./plan-live.js');
    printPlan(await planLive(options, now), options.output);
    return;
  }
  if (options.nodes === undefined) {
    throw new CliError(
      'error: --nodes <file> is required (or --live to plan against the running everynode)',
      EXIT_CODES.invalidInput,
    );
  }
  const daemonSet = await loadDaemonSet(options.filename);
  const nodes = await loadNodes(options.nodes);
  const pods = options.pods === undefined ? [] : ownPods(daemonSet, await loadPods(options.pods));
  printPlan(planReport(buildPlanSnapshot(daemonSet, nodes, pods, now), now), options.output);
}

/** Prints a plan report in the format asked for. */
function printPlan(report: PlanReport, output: PlanOptions['output']): void {
  process.stdout.write(`${output === 'json' ? JSON.stringify(report, null, 2) : formatPlanTable(report)}\n`);
}

/** The pods of this DaemonSet: its namespace, matching its selector. Others are reported and left out. */
function ownPods(daemonSet: DaemonSet, pods: readonly Pod[]): readonly Pod[] {
  const own = pods.filter(
    (pod) => pod.namespace === daemonSet.namespace && labelSelectorMatches(daemonSet.selector, pod.labels),
  );
  const ignored = pods.length - own.length;
  if (ignored > 0) {
    process.stderr.write(
      `note: ignoring ${ignored} pod(s) outside daemonset.apps/${daemonSet.name} (another namespace, or labels its selector does not match)\n`,
    );
  }
  return own;
}

function parseNow(text: string | undefined): number {
  if (text === undefined) return Date.now();
  const parsed = Date.parse(text);
  if (Number.isNaN(parsed) || !/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    throw new CliError(`error: --now ${JSON.stringify(text)} is not an RFC 3339 time`, EXIT_CODES.invalidInput);
  }
  return parsed;
}
