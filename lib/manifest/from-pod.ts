import type { JsonObject } from '../model/daemon-set.js';
import type { Pod } from '../model/pod.js';
import { CONTROLLER_REVISION_HASH_LABEL } from './pod-manifest.js';

/**
 * Renders a DaemonSet pod as `kubectl get pod -o json` prints it: scheduled pods name their node in
 * `spec.nodeName`, unscheduled ones in the `metadata.name` node affinity term. The inverse of `toPod`.
 */
export function fromPod(pod: Pod): JsonObject {
  const readyCondition = {
    type: 'Ready',
    status: pod.ready ? 'True' : 'False',
    ...(pod.readySince === undefined ? {} : { lastTransitionTime: pod.readySince }),
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: pod.name,
      namespace: pod.namespace,
      labels: { ...pod.labels, [CONTROLLER_REVISION_HASH_LABEL]: pod.revisionHash },
      creationTimestamp: pod.creationTimestamp,
      ...(pod.deletionTimestamp === undefined ? {} : { deletionTimestamp: pod.deletionTimestamp }),
    },
    spec: pod.scheduled ? { nodeName: pod.nodeName } : { affinity: nodeNameAffinity(pod.nodeName) },
    status: { phase: pod.phase, conditions: [readyCondition] },
  };
}

function nodeNameAffinity(nodeName: string): JsonObject {
  const term = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } } };
}
