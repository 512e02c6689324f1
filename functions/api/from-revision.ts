import { CONTROLLER_REVISION_HASH_LABEL } from '../../lib/manifest/pod-manifest.js';
import type { ControllerRevision, JsonObject } from '../../lib/model/daemon-set.js';
import type { StoredDaemonSet } from '../../lib/ports/cluster-store.js';

const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

/**
 * Renders a revision as the `apps/v1` ControllerRevision Kubernetes keeps for a DaemonSet: the pod
 * template under `data.spec.template`, numbered by `revision`, labelled with its hash
 * (what `kubectl rollout history` reads).
 */
export function fromRevision(stored: StoredDaemonSet, revision: ControllerRevision): JsonObject {
  const { daemonSet } = stored;
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: revision.name,
      namespace: daemonSet.namespace,
      labels: { ...daemonSet.template.metadata.labels, [CONTROLLER_REVISION_HASH_LABEL]: revision.hash },
      creationTimestamp: revision.creationTimestamp,
      ...(revision.changeCause === undefined
        ? {}
        : { annotations: { [CHANGE_CAUSE_ANNOTATION]: revision.changeCause } }),
      ownerReferences: [
        { apiVersion: daemonSet.apiVersion, kind: 'DaemonSet', name: daemonSet.name, controller: true },
      ],
    },
    revision: revision.revision,
    data: {
      spec: {
        template: {
          metadata: {
            labels: revision.template.metadata.labels,
            ...(Object.keys(revision.template.metadata.annotations).length === 0
              ? {}
              : { annotations: revision.template.metadata.annotations }),
          },
          spec: revision.template.spec,
        },
      },
    },
  };
}
