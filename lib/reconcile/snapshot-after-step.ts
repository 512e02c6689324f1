import { CONTROLLER_REVISION_HASH_LABEL } from '../manifest/pod-manifest.js';
import type { Pod } from '../model/pod.js';
import type { ClusterSnapshot } from '../ports/cluster-snapshot.js';
import type { ReconcileStep } from '../ports/reconcile-step.js';

/**
 * The snapshot the next pass would read once `step` is stored and nothing else changed, as far as a plan looks at
 * it: created pods present (Pending, not ready, created `now`, the template's labels and the revision hash),
 * pods deleted as orphans gone, other deleted pods terminating; revisions, status and memory as the step wrote
 * them, the version moved on. A step that reverts the template is not modelled (its spec changes): undefined.
 */
export function snapshotAfterStep(
  snapshot: ClusterSnapshot,
  step: ReconcileStep,
  now: number,
): ClusterSnapshot | undefined {
  if (step.revertTemplate !== undefined) return undefined;
  const time = new Date(now).toISOString();
  const removed = new Set<string>();
  const terminating = new Set<string>();
  const created: Pod[] = [];
  for (const action of step.actions) {
    if (action.kind === 'createPod') {
      created.push({
        name: action.podName,
        namespace: snapshot.daemonSet.namespace,
        nodeName: action.nodeName,
        revisionHash: action.revisionHash,
        labels: {
          ...snapshot.daemonSet.template.metadata.labels,
          [CONTROLLER_REVISION_HASH_LABEL]: action.revisionHash,
        },
        creationTimestamp: time,
        scheduled: false,
        phase: 'Pending',
        ready: false,
      });
    } else if (action.reason === 'orphaned') removed.add(action.podName);
    else terminating.add(action.podName);
  }
  const pods = [
    ...snapshot.pods.flatMap((pod): Pod[] => {
      if (removed.has(pod.name)) return [];
      if (!terminating.has(pod.name) || pod.deletionTimestamp !== undefined) return [pod];
      return [{ ...pod, deletionTimestamp: time }];
    }),
    ...created,
  ];
  let revisions = [...snapshot.revisions];
  for (const change of step.revisions) {
    if (change.kind === 'createRevision') revisions.push(change.revision);
    else if (change.kind === 'deleteRevision') revisions = revisions.filter((each) => each.name !== change.name);
    else
      revisions = revisions.map((each) => (each.name === change.name ? { ...each, revision: change.revision } : each));
  }
  return {
    ...snapshot,
    version: snapshot.version + 1,
    revisions,
    pods,
    status: step.status,
    memory: step.memory,
  };
}
