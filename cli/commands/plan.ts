import { labelSelectorMatches } from '../../lib/labels/label-selector-matches.js';
import { daemonSetObjectName } from '../../lib/manifest/object-name.js';
import type { DaemonSet } from '../../lib/model/daemon-set.js';
import type { Pod } from '../../lib/model/pod.js';
import { CliError, EXIT_CODES } from '../cli-error.js';
import type { ConnectionOptions } from '../command-options.js';
import { loadDaemonSets, loadNodes, loadObjects, loadPods } from '../input/load-manifests.js';
import { buildPlanSnapshot } from '../plan/build-plan-snapshot.js';
import { formatPlanTable, formatStartupGateSummary } from '../plan/format-plan-table.js';
import { mapClusterRevisions } from '../plan/map-cluster-revisions.js';
import { type PlanReport, planReport } from '../plan/plan-report.js';

export type PlanOptions = Readonly<{
  filename: string;
  name?: string;
  nodes?: string;
  pods?: string;
  revisions?: string;
  now?: string;
  live?: boolean;
  output: 'table' | 'json';
}> &
  ConnectionOptions;

/**
 * `everynode plan`: one reconcile step on a snapshot read from files (or, with `--live`, from the running
 * API), printed as a table or as the JSON contract of {@link PlanReport}. A file with several DaemonSets is
 * planned DaemonSet by DaemonSet (one table section each; `-o json` prints a list), unless `--name` picks one.
 */
export async function runPlan(options: PlanOptions): Promise<void> {
  const now = parseNow(options.now);
  if (options.live) {
    const { planLive } = await import('./plan-live.js');
    printPlans([await planLive(options, now)], options.output);
    return;
  }
  if (options.nodes === undefined) {
    throw new CliError(
      'error: --nodes <file> is required (or --live to plan against the running everynode)',
      EXIT_CODES.invalidInput,
    );
  }
  const daemonSets = await loadDaemonSets(options.filename, options.name);
  const nodes = await loadNodes(options.nodes);
  if (nodes.length === 0) {
    throw new CliError(
      `error: no Node in ${options.nodes}: give the nodes to plan against, e.g. from \`kubectl get nodes -o yaml\``,
      EXIT_CODES.invalidInput,
    );
  }
  const pods = options.pods === undefined ? [] : await loadPods(options.pods);
  const revisions =
    options.revisions === undefined ? undefined : await loadObjects(options.revisions, 'ControllerRevision');
  const reports = daemonSets.map((daemonSet) => {
    const own = ownPods(daemonSet, pods);
    if (revisions === undefined) return planReport(buildPlanSnapshot(daemonSet, nodes, own, now), now);
    const cluster = mapClusterRevisions(daemonSet, revisions, own);
    process.stderr.write(
      cluster.currentClusterHash === undefined
        ? `note: no ControllerRevision of ${daemonSetObjectName(daemonSet)} holds this template: applying starts a rollout\n`
        : `note: ${daemonSetObjectName(daemonSet)} runs this template as revision ${cluster.currentClusterHash} in the cluster\n`,
    );
    return planReport(buildPlanSnapshot(daemonSet, nodes, cluster.pods, now, cluster.older), now);
  });
  printPlans(reports, options.output);
}

/**
 * Prints plan reports in the format asked for: one table section per DaemonSet; in JSON the report itself
 * for one DaemonSet (the contract scripts rely on), a list for several.
 */
function printPlans(reports: readonly PlanReport[], output: PlanOptions['output']): void {
  const text =
    output === 'json'
      ? JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)
      : [...reports.map(formatPlanTable), formatStartupGateSummary(reports)].filter((part) => part !== '').join('\n\n');
  process.stdout.write(`${text}\n`);
}

/** The pods of this DaemonSet: its namespace, matching its selector. Others are reported and left out. */
function ownPods(daemonSet: DaemonSet, pods: readonly Pod[]): readonly Pod[] {
  const own = pods.filter(
    (pod) => pod.namespace === daemonSet.namespace && labelSelectorMatches(daemonSet.selector, pod.labels),
  );
  const ignored = pods.length - own.length;
  if (ignored > 0) {
    process.stderr.write(
      `note: ignoring ${ignored} pod(s) outside ${daemonSetObjectName(daemonSet)} (another namespace, or labels its selector does not match)\n`,
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
