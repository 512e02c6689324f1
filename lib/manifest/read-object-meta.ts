import {
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  labelValueErrors,
  qualifiedNameErrors,
} from '../labels/label-syntax.js';
import { type FieldError, invalidValue, requiredValue, tooLongValue } from './field-error.js';
import { readInteger, readObject, readString, readStringMap } from './read-json.js';

/** The parts of `metadata` everynode keeps. Absent fields stay absent. */
export type ObjectMeta = Readonly<{
  name: string;
  namespace?: string;
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  resourceVersion?: string;
}>;

/**
 * Reads and validates `metadata` as Kubernetes `ValidateObjectMeta` does for names (DNS subdomain),
 * namespaces (DNS label, only when `namespaced`), labels and annotations (keys, total size);
 * everything else (uid, managedFields, ownerReferences...) is ignored.
 */
export function readObjectMeta(value: unknown, namespaced: boolean, errors: FieldError[]): ObjectMeta {
  const metadata = readObject(value, 'metadata', errors) ?? {};
  const name = readString(metadata['name'], 'metadata.name', errors) ?? '';
  if (name === '') errors.push(requiredValue('metadata.name', 'name or generateName is required'));
  else for (const message of dns1123SubdomainErrors(name)) errors.push(invalidValue('metadata.name', name, message));
  const namespace = namespaced
    ? readString(metadata['namespace'], 'metadata.namespace', errors) || undefined
    : undefined;
  if (namespace !== undefined) {
    for (const message of dns1123LabelErrors(namespace))
      errors.push(invalidValue('metadata.namespace', namespace, message));
  }
  const labels = readStringMap(metadata['labels'], 'metadata.labels', errors) ?? {};
  validateLabels(labels, 'metadata.labels', errors);
  const generation = readInteger(metadata['generation'], 'metadata.generation', errors);
  const creationTimestamp = readTime(metadata['creationTimestamp'], 'metadata.creationTimestamp', errors);
  const deletionTimestamp = readTime(metadata['deletionTimestamp'], 'metadata.deletionTimestamp', errors);
  const resourceVersion = metadata['resourceVersion'];
  const annotations = readStringMap(metadata['annotations'], 'metadata.annotations', errors) ?? {};
  validateAnnotations(annotations, 'metadata.annotations', errors);
  return {
    name,
    ...(namespace === undefined ? {} : { namespace }),
    labels,
    annotations,
    ...(generation === undefined ? {} : { generation }),
    ...(creationTimestamp === undefined ? {} : { creationTimestamp }),
    ...(deletionTimestamp === undefined ? {} : { deletionTimestamp }),
    ...(typeof resourceVersion === 'string' || typeof resourceVersion === 'number'
      ? { resourceVersion: String(resourceVersion) }
      : {}),
  };
}

/** RFC 3339 with seconds and an offset, as `metav1.Time` is written (`2026-01-01T00:00:00Z`). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** A `metav1.Time`: refused unless it is an RFC 3339 time, as the API server's decoder refuses it. */
function readTime(value: unknown, path: string, errors: FieldError[]): string | undefined {
  const text = readString(value, path, errors);
  if (text === undefined || text === '') return undefined;
  if (RFC3339.test(text) && !Number.isNaN(Date.parse(text))) return text;
  errors.push(invalidValue(path, text, 'must be an RFC 3339 time, e.g. "2026-01-01T00:00:00Z"'));
  return undefined;
}

/**
 * Kubernetes `ValidateLabels`: every key a qualified name, every value a label value, errors reported at
 * the map's own path (as the API server does) with the offending key or value.
 */
export function validateLabels(labels: Readonly<Record<string, string>>, path: string, errors: FieldError[]): void {
  for (const [key, value] of Object.entries(labels)) {
    validateLabelKey(key, path, errors);
    for (const message of labelValueErrors(value)) errors.push(invalidValue(path, value, message));
  }
}

/** Kubernetes `ValidateLabelName`: a label, taint or toleration key must be a qualified name. */
export function validateLabelKey(key: string, path: string, errors: FieldError[]): void {
  for (const message of qualifiedNameErrors(key)) errors.push(invalidValue(path, key, message));
}

/** The API server's `TotalAnnotationSizeLimitB`: the keys and values of an object's annotations, together. */
export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;

/**
 * Kubernetes `ValidateAnnotations`: every key a qualified name (case does not matter) and at most 256 KiB
 * of keys and values together, errors reported at the map's own path.
 */
export function validateAnnotations(
  annotations: Readonly<Record<string, string>>,
  path: string,
  errors: FieldError[],
): void {
  const encoder = new TextEncoder();
  let bytes = 0;
  for (const [key, value] of Object.entries(annotations)) {
    for (const message of qualifiedNameErrors(key.toLowerCase())) errors.push(invalidValue(path, key, message));
    bytes += encoder.encode(key).length + encoder.encode(value).length;
  }
  if (bytes > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) errors.push(tooLongValue(path, TOTAL_ANNOTATION_SIZE_LIMIT_BYTES));
}
