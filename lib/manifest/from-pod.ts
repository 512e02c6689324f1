import type { JsonObject, PodTemplate } from '../model/daemon-set.js';
import type { Pod } from '../model/pod.js';
import { daemonPodSpec, nodeNameAffinity } from './daemon-pod-spec.js';
import { CONTROLLER_REVISION_HASH_LABEL } from './pod-manifest.js';

/**
 * Renders a DaemonSet pod as `kubectl get pod -o json` prints it: scheduled pods name their node in
 * `spec.nodeName`, unscheduled ones in the `metadata.name` node affinity term. Given its revision's
 * template, the spec is the pod's whole spec (containers, volumes, tolerations with the DaemonSet
 * defaults, the node affinity pinned to its node) and the template's annotations are the pod's, as the
 * Kubernetes controller creates them; the template is joined here, when the pod is read, so storing a pod
 * stays as small as it is. The inverse of `toPod`.
 */
export function fromPod(pod: Pod, template?: PodTemplate): JsonObject {
  const readyCondition = {
    type: 'Ready',
    status: pod.ready ? 'True' : 'False',
    ...(pod.readySince === undefined ? {} : { lastTransitionTime: pod.readySince }),
  };
  const annotations = template?.metadata.annotations ?? {};
  const spec =
    template !== undefined
      ? daemonPodSpec(template, pod.nodeName, pod.scheduled, pod.startupCritical === true)
      : pod.scheduled
        ? { nodeName: pod.nodeName }
        : { affinity: nodeNameAffinity(pod.nodeName) };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: pod.name,
      namespace: pod.namespace,
      labels: { ...pod.labels, [CONTROLLER_REVISION_HASH_LABEL]: pod.revisionHash },
      ...(Object.keys(annotations).length === 0 ? {} : { annotations }),
      creationTimestamp: pod.creationTimestamp,
      ...(pod.deletionTimestamp === undefined ? {} : { deletionTimestamp: pod.deletionTimestamp }),
    },
    spec,
    status: {
      phase: pod.phase,
      ...(pod.reason === undefined ? {} : { reason: pod.reason }),
      ...(pod.message === undefined ? {} : { message: pod.message }),
      conditions: [readyCondition],
      ...(pod.restartCount === undefined ? {} : { restartCount: pod.restartCount }),
    },
  };
}
