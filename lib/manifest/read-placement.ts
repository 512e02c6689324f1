import { dns1123SubdomainErrors } from '../labels/label-syntax.js';
import type { JsonObject } from '../model/daemon-set.js';
import type { PlacementSpec } from '../model/pod-spec.js';
import { type FieldError, invalidValue } from './field-error.js';
import { readBoolean, readString, readStringMap } from './read-json.js';
import { readRequiredNodeAffinity } from './read-node-affinity.js';
import { validateLabels } from './read-object-meta.js';
import { readTolerations } from './read-tolerations.js';

/**
 * The typed placement view of a pod template's spec (`path` is that spec's field path): nodeName,
 * nodeSelector, required node affinity, tolerations and hostNetwork, validated as Kubernetes `ValidatePodSpec`.
 */
export function readPlacement(spec: JsonObject, path: string, errors: FieldError[]): PlacementSpec {
  const nodeName = readString(spec['nodeName'], `${path}.nodeName`, errors) || undefined;
  if (nodeName !== undefined) {
    for (const message of dns1123SubdomainErrors(nodeName))
      errors.push(invalidValue(`${path}.nodeName`, nodeName, message));
  }
  const nodeSelector = readStringMap(spec['nodeSelector'], `${path}.nodeSelector`, errors) ?? {};
  validateLabels(nodeSelector, `${path}.nodeSelector`, errors);
  const requiredNodeAffinity = readRequiredNodeAffinity(spec['affinity'], `${path}.affinity`, errors);
  return {
    ...(nodeName === undefined ? {} : { nodeName }),
    nodeSelector,
    ...(requiredNodeAffinity === undefined ? {} : { requiredNodeAffinity }),
    tolerations: readTolerations(spec['tolerations'], `${path}.tolerations`, errors),
    hostNetwork: readBoolean(spec['hostNetwork'], `${path}.hostNetwork`, errors) ?? false,
  };
}
