import type { JsonObject, JsonValue } from '../model/daemon-set.js';
import { type FieldError, invalidValue } from './field-error.js';

/*
 * Typed reads of decoded manifest JSON. Each returns undefined for an absent or null field (JSON null means
 * "not set" in Kubernetes) and, for a value of the wrong type, records an error at `path` and returns undefined.
 */

/** A nested object such as `spec`. */
export function readObject(value: unknown, path: string, errors: FieldError[]): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (isJsonObject(value)) return value;
  errors.push(invalidValue(path, value, 'must be an object'));
  return undefined;
}

/** A string field. */
export function readString(value: unknown, path: string, errors: FieldError[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  errors.push(invalidValue(path, value, 'must be a string'));
  return undefined;
}

/** An integer field (a safe integer: Kubernetes int32/int64). */
export function readInteger(value: unknown, path: string, errors: FieldError[]): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  errors.push(invalidValue(path, value, 'must be an integer'));
  return undefined;
}

/** A boolean field. */
export function readBoolean(value: unknown, path: string, errors: FieldError[]): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  errors.push(invalidValue(path, value, 'must be a boolean'));
  return undefined;
}

/** A list field such as `containers`. */
export function readList(value: unknown, path: string, errors: FieldError[]): readonly JsonValue[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value as readonly JsonValue[];
  errors.push(invalidValue(path, value, 'must be a list'));
  return undefined;
}

/** A `map[string]string` such as labels or annotations; entries that are not strings are reported at `path[key]`. */
export function readStringMap(value: unknown, path: string, errors: FieldError[]): Record<string, string> | undefined {
  const object = readObject(value, path, errors);
  if (object === undefined) return undefined;
  const map: Record<string, string> = {};
  for (const [key, entry] of Object.entries(object)) {
    const text = readString(entry, `${path}[${key}]`, errors);
    // defineProperty: an assignment to `map['__proto__']` would set the prototype and drop the key unseen,
    // where validation must see (and refuse) it.
    if (text !== undefined)
      Object.defineProperty(map, key, { value: text, enumerable: true, writable: true, configurable: true });
  }
  return map;
}

/** A list of strings such as `values`; entries of other types are reported at `path[i]` and dropped. */
export function readStringList(value: unknown, path: string, errors: FieldError[]): string[] {
  return (readList(value, path, errors) ?? []).flatMap(
    (entry, index) => readString(entry, `${path}[${index}]`, errors) ?? [],
  );
}

/** Whether a decoded value is a JSON object (not null, not a list). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
