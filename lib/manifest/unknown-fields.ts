import { ANY, type FieldShape } from './daemon-set-schema.js';
import { isJsonObject } from './read-json.js';

/**
 * The paths of the fields in `value` that `shape` does not know, as the API server's strict decoding names
 * them (`spec.template.spec.containers[0].imagePullPolicyy`), in document order. Values of the wrong type
 * are left to validation.
 *
 * @example unknownFields({ spec: { replicas: 3 } }, DAEMON_SET_SHAPE) // ['spec.replicas']
 */
export function unknownFields(value: unknown, shape: FieldShape, path = ''): string[] {
  if (shape === ANY || value === null || value === undefined) return [];
  if (Array.isArray(shape)) {
    const [item] = shape as readonly [FieldShape];
    return Array.isArray(value) ? value.flatMap((entry, index) => unknownFields(entry, item, `${path}[${index}]`)) : [];
  }
  if (!isJsonObject(value)) return [];
  const fields = shape as Readonly<Record<string, FieldShape>>;
  return Object.entries(value).flatMap(([key, entry]) => {
    const child = path === '' ? key : `${path}.${key}`;
    const known = Object.hasOwn(fields, key) ? fields[key] : undefined;
    return known === undefined ? [child] : unknownFields(entry, known, child);
  });
}
