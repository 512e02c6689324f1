import { POD_PHASES, type Pod, type PodPhase } from '../model/pod.js';
import {
  type FieldError,
  invalidValue,
  requiredValue,
  toValidated,
  unsupportedValue,
  type Validated,
} from './field-error.js';
import { readConditions } from './read-conditions.js';
import { isJsonObject, readObject, readString } from './read-json.js';
import { readRequiredNodeAffinity } from './read-node-affinity.js';
import { readObjectMeta } from './read-object-meta.js';
import { readTypeMeta } from './read-type-meta.js';

/** The label a DaemonSet pod carries with the hash of the revision it runs. */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';

const isPhase = (phase: string): phase is PodPhase => (POD_PHASES as readonly string[]).includes(phase);

/**
 * Converts a decoded v1 Pod of a DaemonSet into the model. Its node is `spec.nodeName` (then it is
 * scheduled) or else the `metadata.name In [node]` node affinity term the DaemonSet controller writes.
 * `status.phase` defaults to Pending; `ready` and `readySince` come from the Ready condition.
 */
export function toPod(object: unknown): Validated<Pod> {
  const errors: FieldError[] = [];
  const manifest = isJsonObject(object) ? object : {};
  if (!isJsonObject(object)) errors.push(invalidValue('<root>', object, 'must be a Kubernetes object'));
  readTypeMeta(manifest, 'Pod', ['v1'], errors);
  const metadata = readObjectMeta(manifest['metadata'], true, errors);
  const revisionHash = metadata.labels[CONTROLLER_REVISION_HASH_LABEL];
  if (revisionHash === undefined) {
    errors.push(
      requiredValue(
        `metadata.labels[${CONTROLLER_REVISION_HASH_LABEL}]`,
        'a DaemonSet pod carries the revision it runs',
      ),
    );
  }
  if (metadata.creationTimestamp === undefined) errors.push(requiredValue('metadata.creationTimestamp'));
  const spec = readObject(manifest['spec'], 'spec', errors) ?? {};
  const scheduledOn = readString(spec['nodeName'], 'spec.nodeName', errors) || undefined;
  const nodeName = scheduledOn ?? targetNode(readRequiredNodeAffinity(spec['affinity'], 'spec.affinity', errors));
  if (nodeName === undefined) {
    errors.push(
      requiredValue(
        'spec.nodeName',
        'a DaemonSet pod names its node in `spec.nodeName` or a `metadata.name` node affinity term',
      ),
    );
  }
  const status = readObject(manifest['status'], 'status', errors) ?? {};
  const phase = readString(status['phase'], 'status.phase', errors) ?? 'Pending';
  if (!isPhase(phase)) errors.push(unsupportedValue('status.phase', phase, POD_PHASES));
  const ready = readConditions(status['conditions'], 'status.conditions', errors).find((c) => c.type === 'Ready');
  return toValidated(errors, () => ({
    name: metadata.name,
    namespace: metadata.namespace ?? 'default',
    nodeName: nodeName ?? '',
    revisionHash: revisionHash ?? '',
    labels: metadata.labels,
    creationTimestamp: metadata.creationTimestamp ?? '',
    ...(metadata.deletionTimestamp === undefined ? {} : { deletionTimestamp: metadata.deletionTimestamp }),
    scheduled: scheduledOn !== undefined,
    phase: isPhase(phase) ? phase : 'Pending',
    ready: ready?.status === 'True',
    ...(ready?.lastTransitionTime === undefined ? {} : { readySince: ready.lastTransitionTime }),
  }));
}

/** The node of the `metadata.name In [node]` term that `ReplaceDaemonSetPodNodeNameNodeAffinity` writes. */
function targetNode(terms: ReturnType<typeof readRequiredNodeAffinity>): string | undefined {
  for (const term of terms ?? []) {
    const field = term.matchFields?.find(
      (requirement) => requirement.key === 'metadata.name' && requirement.operator === 'In',
    );
    if (field?.values?.length === 1) return field.values[0];
  }
  return undefined;
}
