import type { ControllerRevision, DaemonSet } from '../../lib/model/daemon-set.js';
import type { Node } from '../../lib/model/node.js';
import type { Pod } from '../../lib/model/pod.js';
import type { ClusterSnapshot } from '../../lib/ports/cluster-snapshot.js';
import { planReconcile } from '../../lib/reconcile/plan-reconcile.js';
import { aDaemonSet } from '../../test/fixtures/builders/a-daemon-set.js';
import { realisticNodes } from '../placement/realistic-nodes.js';

/** The three moments of a DaemonSet's life the step benchmark times. */
export const STEP_SCENARIOS = ['fresh', 'steady', 'rolling'] as const;
export type StepScenario = (typeof STEP_SCENARIOS)[number];

export const SCENARIO_LABELS: Readonly<Record<StepScenario, string>> = {
  fresh: 'fresh placement (no pods yet)',
  steady: 'steady state (every pod current, available)',
  rolling: 'rolling-update wave (new template, all pods old)',
};

/** 2026-03-01: the clock of every step; pods became ready an hour before. */
export const STEP_NOW = Date.UTC(2026, 2, 1);
const READY_SINCE = new Date(STEP_NOW - 3_600_000).toISOString();

/**
 * A snapshot of a DaemonSet that tolerates everything (so every node is desired, as a log shipper or
 * CNI plugin is) with RollingUpdate maxUnavailable 10%, on a realistic fleet of `nodeCount` nodes.
 */
export function buildStepSnapshot(scenario: StepScenario, nodeCount: number): ClusterSnapshot {
  const nodes = realisticNodes(nodeCount);
  const base = aDaemonSet('node-agent')
    .inNamespace('kube-system')
    .tolerating({ operator: 'Exists' })
    .withHostNetwork()
    .withRollingUpdate({ percent: 10 }, 0);
  const original = base.build();
  const fresh: ClusterSnapshot = {
    daemonSet: original,
    version: 1,
    revisions: [],
    nodes,
    pods: [],
    memory: { failedPodBackoff: {} },
  };
  if (scenario === 'fresh') return fresh;
  const settled = settle(fresh, nodes);
  if (scenario === 'steady') return settled;
  const updated: DaemonSet = { ...base.withImage('registry.example/node-agent:2.0.0').build(), generation: 2 };
  return { ...settled, daemonSet: updated, version: settled.version + 1 };
}

/** The same DaemonSet after its first rollout finished: one revision, one available pod per node, status written. */
function settle(fresh: ClusterSnapshot, nodes: readonly Node[]): ClusterSnapshot {
  const first = planReconcile(fresh, STEP_NOW);
  const revisions = first.revisions.flatMap((change) => (change.kind === 'createRevision' ? [change.revision] : []));
  const [revision] = revisions;
  if (revision === undefined) throw new Error('the first step created no revision');
  const pods = nodes.map((node, index) => availablePod(fresh.daemonSet, node, revision, index));
  const withPods: ClusterSnapshot = { ...fresh, version: 2, revisions, pods };
  const second = planReconcile(withPods, STEP_NOW);
  return { ...withPods, version: 3, status: second.status, memory: second.memory };
}

function availablePod(daemonSet: DaemonSet, node: Node, revision: ControllerRevision, index: number): Pod {
  return {
    name: `${daemonSet.name}-${index.toString(36).padStart(5, '0')}`,
    namespace: daemonSet.namespace,
    nodeName: node.name,
    revisionHash: revision.hash,
    labels: { ...daemonSet.template.metadata.labels, 'controller-revision-hash': revision.hash },
    creationTimestamp: READY_SINCE,
    scheduled: true,
    phase: 'Running',
    ready: true,
    readySince: READY_SINCE,
  };
}
