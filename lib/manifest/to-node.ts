import { labelValueErrors } from '../labels/label-syntax.js';
import type { Node, Taint } from '../model/node.js';
import {
  duplicateValue,
  type FieldError,
  invalidValue,
  requiredValue,
  toValidated,
  unsupportedValue,
  type Validated,
} from './field-error.js';
import { readConditions } from './read-conditions.js';
import { isJsonObject, readBoolean, readList, readObject, readString } from './read-json.js';
import { readObjectMeta, validateLabelKey } from './read-object-meta.js';
import { isTaintEffect, TAINT_EFFECTS } from './read-tolerations.js';
import { readTypeMeta } from './read-type-meta.js';

/**
 * Converts a decoded v1 Node (as `kubectl get node -o yaml` prints it) into the model: name, labels,
 * taints (validated as Kubernetes `validateNodeTaints` does), `spec.unschedulable`, `status.conditions`,
 * `status.allocatable`, creationTimestamp and resourceVersion. Everything else is ignored.
 */
export function toNode(object: unknown): Validated<Node> {
  const errors: FieldError[] = [];
  const manifest = isJsonObject(object) ? object : {};
  if (!isJsonObject(object)) errors.push(invalidValue('<root>', object, 'must be a Kubernetes object'));
  readTypeMeta(manifest, 'Node', ['v1'], errors);
  const metadata = readObjectMeta(manifest['metadata'], false, errors);
  const spec = readObject(manifest['spec'], 'spec', errors) ?? {};
  const status = readObject(manifest['status'], 'status', errors) ?? {};
  const taints = readTaints(spec['taints'], 'spec.taints', errors);
  const unschedulable = readBoolean(spec['unschedulable'], 'spec.unschedulable', errors) ?? false;
  const conditions = readConditions(status['conditions'], 'status.conditions', errors);
  const allocatable = readQuantities(status['allocatable'], 'status.allocatable', errors);
  return toValidated(errors, () => ({
    name: metadata.name,
    labels: metadata.labels,
    taints,
    unschedulable,
    conditions,
    allocatable,
    ...(metadata.creationTimestamp === undefined ? {} : { creationTimestamp: metadata.creationTimestamp }),
    ...(metadata.resourceVersion === undefined ? {} : { resourceVersion: metadata.resourceVersion }),
  }));
}

function readTaints(value: unknown, path: string, errors: FieldError[]): Taint[] {
  const seen = new Set<string>();
  return (readList(value, path, errors) ?? []).flatMap((entry, index) => {
    const itemPath = `${path}[${index}]`;
    const taint = readObject(entry, itemPath, errors) ?? {};
    const key = readString(taint['key'], `${itemPath}.key`, errors) ?? '';
    const taintValue = readString(taint['value'], `${itemPath}.value`, errors) ?? '';
    const effect = readString(taint['effect'], `${itemPath}.effect`, errors) ?? '';
    const timeAdded = readString(taint['timeAdded'], `${itemPath}.timeAdded`, errors);
    validateLabelKey(key, `${itemPath}.key`, errors);
    const valueErrors = labelValueErrors(taintValue);
    if (valueErrors.length > 0) errors.push(invalidValue(`${itemPath}.value`, taintValue, valueErrors.join(';')));
    if (effect === '') errors.push(requiredValue(`${itemPath}.effect`));
    else if (!isTaintEffect(effect)) errors.push(unsupportedValue(`${itemPath}.effect`, effect, TAINT_EFFECTS));
    if (!isTaintEffect(effect)) return [];
    const model: Taint = {
      key,
      ...(taintValue === '' ? {} : { value: taintValue }),
      effect,
      ...(timeAdded === undefined ? {} : { timeAdded }),
    };
    if (seen.has(`${key}:${effect}`)) {
      errors.push(duplicateValue(itemPath, model, 'taints must be unique by key and effect pair'));
    }
    seen.add(`${key}:${effect}`);
    return [model];
  });
}

/** Resource quantities are strings in the API; a bare YAML number (`cpu: 4`) is kept as its text. */
function readQuantities(value: unknown, path: string, errors: FieldError[]): Record<string, string> {
  const quantities: Record<string, string> = {};
  for (const [name, quantity] of Object.entries(readObject(value, path, errors) ?? {})) {
    if (typeof quantity === 'string' || typeof quantity === 'number') quantities[name] = String(quantity);
    else errors.push(invalidValue(`${path}[${name}]`, quantity, 'must be a quantity such as "4" or "16Gi"'));
  }
  return quantities;
}
