import type { JsonObject, JsonValue, PodTemplate } from '../model/daemon-set.js';
import { daemonPodTolerations } from '../placement/daemon-pod-tolerations.js';
import type { FieldError } from './field-error.js';
import { isJsonObject } from './read-json.js';
import { readTolerations } from './read-tolerations.js';

/**
 * The spec of a DaemonSet pod on `nodeName`, as the Kubernetes DaemonSet controller writes it from its
 * revision's template: the whole template spec, the default DaemonSet tolerations added
 * (`AddOrUpdateDaemonPodTolerations`), and the required node affinity replaced by one term pinning the
 * pod to its node (`ReplaceDaemonSetPodNodeNameNodeAffinity`: `matchFields metadata.name In [node]`);
 * `nodeName` once a node has accepted the pod. A pod of a startup-critical DaemonSet (`startupCritical`) also
 * tolerates the startup gate's taint (`everynode.io/startup:NoSchedule`), after the Kubernetes defaults. This is
 * what a node agent reads to know what to run.
 *
 * @example daemonPodSpec(revision.template, 'worker-1', true)['nodeName'] // 'worker-1'
 */
export function daemonPodSpec(
  template: PodTemplate,
  nodeName: string,
  scheduled: boolean,
  startupCritical = false,
): JsonObject {
  const { spec } = template;
  const ignored: FieldError[] = [];
  const tolerations = daemonPodTolerations({
    nodeSelector: {},
    tolerations: readTolerations(spec['tolerations'], 'spec.tolerations', ignored),
    hostNetwork: spec['hostNetwork'] === true,
    ...(startupCritical ? { startupCritical } : {}),
  });
  return {
    ...spec,
    ...(scheduled ? { nodeName } : {}),
    affinity: pinnedAffinity(spec['affinity'], nodeName),
    tolerations: tolerations.map((toleration) => ({ ...toleration }) as JsonObject),
  };
}

/** The `metadata.name In [node]` term the controller writes, or, unscheduled, the pod's only trace of its node. */
export function nodeNameAffinity(nodeName: string): JsonObject {
  const term = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } } };
}

function pinnedAffinity(affinity: JsonValue | undefined, nodeName: string): JsonObject {
  const given = isJsonObject(affinity) ? affinity : {};
  const nodeAffinity = isJsonObject(given['nodeAffinity']) ? given['nodeAffinity'] : {};
  const pinned = nodeNameAffinity(nodeName)['nodeAffinity'] as JsonObject;
  return { ...given, nodeAffinity: { ...nodeAffinity, ...pinned } };
}
