import type { ControllerRevision, DaemonSet } from '../../lib/model/daemon-set.js';
import type { Pod } from '../../lib/model/pod.js';
import { computeRevisionHash } from '../../lib/revision/compute-revision-hash.js';
import {
  at,
  creationOf,
  type KubeObject,
  labelsOf,
  listAt,
  nameOf,
  namespaceOf,
  numberAt,
  stringAt,
} from '../output/kube-object.js';
import { toControllerRevision } from '../rollout/revisions-of.js';
import { templateMatchesRevision } from './template-matches-revision.js';

/** A real cluster's revisions of one DaemonSet, mapped onto everynode's hashes. */
export type ClusterRevisions = Readonly<{
  /** The pods, those of the revision whose template is the manifest's relabelled with everynode's hash. */
  pods: readonly Pod[];
  /** The other revisions, with their real templates and numbers, oldest first. */
  older: readonly ControllerRevision[];
  /** The cluster's hash of the manifest's template, when one of its revisions holds it. */
  currentClusterHash?: string;
}>;

/**
 * Maps a real cluster's pods onto everynode's revisions through its ControllerRevisions
 * (`kubectl get controllerrevisions -o yaml`). Kubernetes labels pods with a hash everynode cannot
 * recompute; the revision of this DaemonSet whose stored template is the manifest's tells which pods
 * already run it, and the others keep their own templates and numbers. Revisions of this DaemonSet are
 * those in its namespace owned by it (or, without owner references, named `<daemon set>-<hash>`).
 */
export function mapClusterRevisions(
  daemonSet: DaemonSet,
  revisions: readonly KubeObject[],
  pods: readonly Pod[],
): ClusterRevisions {
  const own = revisions
    .filter((revision) => isOwnRevision(daemonSet, revision))
    .map((revision) => ({
      hash: labelsOf(revision)['controller-revision-hash'] ?? nameOf(revision).slice(daemonSet.name.length + 1),
      number: numberAt(revision, 'revision') ?? 0,
      revision,
    }))
    .toSorted((a, b) => a.number - b.number);
  const current = own.findLast(({ revision }) =>
    templateMatchesRevision(daemonSet.template, at(revision, 'data', 'spec', 'template')),
  );
  const hash = computeRevisionHash(daemonSet.template);
  const older = own
    .filter((entry) => entry !== current)
    .map(({ hash: clusterHash, number, revision }) =>
      toControllerRevision({
        revision: number,
        name: nameOf(revision),
        hash: clusterHash,
        changeCause: '<none>',
        ...(creationOf(revision) === undefined ? {} : { creationTimestamp: creationOf(revision) as string }),
        template: at(revision, 'data', 'spec', 'template'),
      }),
    );
  return {
    pods: pods.map((pod) =>
      current !== undefined && pod.revisionHash === current.hash ? { ...pod, revisionHash: hash } : pod,
    ),
    older,
    ...(current === undefined ? {} : { currentClusterHash: current.hash }),
  };
}

function isOwnRevision(daemonSet: DaemonSet, revision: KubeObject): boolean {
  const namespace = namespaceOf(revision);
  if (namespace !== '' && namespace !== daemonSet.namespace) return false;
  const owners = listAt(revision, 'metadata', 'ownerReferences');
  if (owners.length === 0) return nameOf(revision).startsWith(`${daemonSet.name}-`);
  return owners.some((owner) => stringAt(owner, 'kind') === 'DaemonSet' && stringAt(owner, 'name') === daemonSet.name);
}
