import type { Pod, PodDeletion } from '../../lib/model/pod.js';
import { nodeShouldRunDaemonPod } from '../../lib/placement/node-should-run-daemon-pod.js';
import type { ClusterSnapshot } from '../../lib/ports/cluster-snapshot.js';
import { computeRevisionHash } from '../../lib/revision/compute-revision-hash.js';
import { beginRollout } from '../../lib/rollout/begin-rollout.js';
import { findUpdatedPodsOnNode, type NodeView, type NodeViews, toNodeViews } from '../../lib/rollout/node-view.js';
import type { RollingUpdateInput } from '../../lib/rollout/plan-rolling-update.js';
import { planUpdateScope, rolloutNodes } from '../../lib/rollout/plan-update-scope.js';
import { isPodAvailable } from '../../lib/rollout/pod-availability.js';
import { rolloutBudget } from '../../lib/rollout/rollout-budget.js';
import { NOW } from './rollout-arbitraries.js';

/** Everything a rolling update of a generated snapshot is planned from, derived as `planReconcile` derives it. */
export type RolloutContext = Readonly<{
  hash: string;
  views: NodeViews;
  desired: number;
  exempt: ReadonlySet<string>;
  input: RollingUpdateInput;
}>;

export function rolloutContext(snapshot: ClusterSnapshot): RolloutContext {
  const { daemonSet } = snapshot;
  const hash = computeRevisionHash(daemonSet.template);
  const views = toNodeViews(snapshot.nodes, snapshot.pods, (node) => nodeShouldRunDaemonPod(node, daemonSet.placement));
  const desired = views.nodes.filter((view) => view.decision.shouldRun).length;
  const tracking = beginRollout(snapshot.memory.rollout, hash, views.nodes, daemonSet.rollout.notReadyAware, NOW);
  const exempt = new Set(tracking.notReadyAtStart);
  const nodes = rolloutNodes(views.nodes);
  const input: RollingUpdateInput = {
    daemonSet,
    hash,
    nodes,
    budget: rolloutBudget(daemonSet.updateStrategy, desired),
    desiredNumberScheduled: desired,
    scope: planUpdateScope(daemonSet, hash, nodes, desired),
    exempt,
    now: NOW,
  };
  return { hash, views, desired, exempt, input };
}

/** The node views after a plan: deleted pods terminating, created pods present (current, not ready). */
export function applyToViews(
  nodes: readonly NodeView[],
  plan: Readonly<{ createOn: readonly string[]; deletions: readonly PodDeletion[] }>,
  hash: string,
): readonly NodeView[] {
  const deleted = new Set(plan.deletions.map((deletion) => deletion.pod.name));
  const terminatedAt = new Date(NOW).toISOString();
  return nodes.map((view) => ({
    ...view,
    pods: [
      ...view.pods.map((pod) => (deleted.has(pod.name) ? { ...pod, deletionTimestamp: terminatedAt } : pod)),
      ...plan.createOn
        .filter((name) => name === view.name)
        .map(
          (name): Pod => ({
            name: `created-${name}`,
            namespace: 'default',
            nodeName: name,
            revisionHash: hash,
            labels: {},
            creationTimestamp: terminatedAt,
            scheduled: true,
            phase: 'Pending',
            ready: false,
          }),
        ),
    ],
  }));
}

/**
 * Nodes without an available pod, counted as Kubernetes' rolling update counts them: excess pods, no
 * pod, an old and a new pod, or the one pod not available (terminating pods ignored, exempt nodes skipped).
 */
export function kubernetesUnavailable(
  nodes: readonly NodeView[],
  hash: string,
  minReadySeconds: number,
  exempt: ReadonlySet<string>,
): number {
  return nodes.filter((view) => {
    if (exempt.has(view.name)) return false;
    const found = findUpdatedPodsOnNode(view, hash);
    if (!found.ok) return true;
    const only = found.newPod === undefined ? found.oldPod : found.oldPod === undefined ? found.newPod : undefined;
    return only === undefined || !isPodAvailable(only, minReadySeconds, NOW);
  }).length;
}
