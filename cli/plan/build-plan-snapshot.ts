import { EMPTY_CONTROLLER_MEMORY } from '../../lib/model/controller-memory.js';
import type { ControllerRevision, DaemonSet, PodTemplate } from '../../lib/model/daemon-set.js';
import type { Node } from '../../lib/model/node.js';
import type { Pod } from '../../lib/model/pod.js';
import type { ClusterSnapshot } from '../../lib/ports/cluster-snapshot.js';
import { computeRevisionHash, revisionName } from '../../lib/revision/compute-revision-hash.js';

/** Marks the stand-in template of a revision known only by the hash its pods carry. */
export const UNKNOWN_TEMPLATE_ANNOTATION = 'everynode.io/plan-unknown-template';

/**
 * The snapshot `everynode plan` hands the planner when it reads files: the DaemonSet, the nodes, the
 * pods given, version 0 and empty controller memory. Revisions: the `known` older ones (a real cluster's,
 * with their templates and numbers), then one per other hash seen on the pods (oldest first), whose
 * templates are unknown, each with a distinct stand-in so it never counts as current; the current
 * template's revision is numbered last.
 */
export function buildPlanSnapshot(
  daemonSet: DaemonSet,
  nodes: readonly Node[],
  pods: readonly Pod[],
  now: number,
  known: readonly ControllerRevision[] = [],
): ClusterSnapshot {
  const revision = computeRevisionHash(daemonSet.template);
  const createdAt = new Date(now).toISOString();
  const firstSeen = new Map<string, string>();
  const knownHashes = new Set(known.map((entry) => entry.hash));
  for (const pod of pods.toSorted((a, b) => a.creationTimestamp.localeCompare(b.creationTimestamp))) {
    if (pod.revisionHash !== revision && !knownHashes.has(pod.revisionHash) && !firstSeen.has(pod.revisionHash)) {
      firstSeen.set(pod.revisionHash, pod.creationTimestamp);
    }
  }
  const last = Math.max(0, ...known.map((entry) => entry.revision));
  const old: ControllerRevision[] = [
    ...known,
    ...[...firstSeen].map(([hash, creationTimestamp], index) => ({
      name: revisionName(daemonSet.name, hash),
      hash,
      revision: last + index + 1,
      template: standIn(daemonSet.template, hash),
      creationTimestamp,
    })),
  ];
  const current: ControllerRevision = {
    name: revisionName(daemonSet.name, revision),
    hash: revision,
    revision: Math.max(0, ...old.map((entry) => entry.revision)) + 1,
    template: daemonSet.template,
    creationTimestamp: createdAt,
  };
  return {
    daemonSet,
    version: 0,
    revisions: [...old, current],
    nodes,
    pods,
    memory: EMPTY_CONTROLLER_MEMORY,
  };
}

function standIn(template: PodTemplate, hash: string): PodTemplate {
  return {
    ...template,
    metadata: {
      ...template.metadata,
      annotations: { ...template.metadata.annotations, [UNKNOWN_TEMPLATE_ANNOTATION]: hash },
    },
  };
}
