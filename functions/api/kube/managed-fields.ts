import type { JsonObject, JsonValue } from '../../../lib/model/daemon-set.js';
import { mergeKeyOf } from './patch/strategic-merge-patch.js';

/**
 * Where each field manager's last applied configuration is kept (everynode keeps no `managedFields`): one
 * annotation per manager, `applied.everynode.io/<manager>` (a manager name that is not a valid key is hashed).
 */
export const APPLIED_PREFIX = 'applied.everynode.io/';

/** The annotation client-side `kubectl apply` records its configuration in. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const isRecord = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The fields a configuration sets, in Kubernetes' `FieldsV1` form: `f:<field>` for each field, `k:{"name":"x"}`
 * with `.` for each item of a list merged by key (containers by name, env by name, ports by containerPort...),
 * `{}` for a value or an atomic list. `apiVersion`, `kind`, and the name and namespace are the object's
 * identity, not fields anyone manages.
 */
export function toFieldsV1(configuration: JsonObject, path = ''): JsonObject {
  const fields: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(configuration)) {
    if (path === '' && (key === 'apiVersion' || key === 'kind' || key === 'status')) continue;
    if (path === 'metadata' && (key === 'name' || key === 'namespace')) continue;
    const at = path === '' ? key : `${path}.${key}`;
    fields[`f:${key}`] = fieldsOf(value, at);
  }
  return fields;
}

function fieldsOf(value: JsonValue, path: string): JsonValue {
  if (isRecord(value)) return toFieldsV1(value, path);
  const mergeKey = Array.isArray(value) ? mergeKeyOf(path) : undefined;
  if (!Array.isArray(value) || mergeKey === undefined) return {};
  const items: Record<string, JsonValue> = {};
  for (const item of value) {
    if (!isRecord(item) || item[mergeKey] === undefined) continue;
    items[`k:${JSON.stringify({ [mergeKey]: item[mergeKey] })}`] = { '.': {}, ...toFieldsV1(item, path) };
  }
  return items;
}

/**
 * `metadata.managedFields` as the API server renders it, from what everynode keeps instead: each server-side
 * apply manager's last applied configuration (`applied.everynode.io/<manager>`, operation `Apply`) and client-side
 * `kubectl apply`'s (the last-applied annotation: manager `kubectl-client-side-apply`, operation `Update`).
 * Undefined when no one applied the object. Entries carry no `time`: everynode does not keep one per manager.
 */
export function managedFieldsOf(annotations: JsonObject, apiVersion: string): JsonObject[] | undefined {
  const entries: JsonObject[] = [];
  for (const [key, text] of Object.entries(annotations)) {
    const manager =
      key === LAST_APPLIED
        ? { name: 'kubectl-client-side-apply', operation: 'Update' }
        : key.startsWith(APPLIED_PREFIX)
          ? { name: key.slice(APPLIED_PREFIX.length), operation: 'Apply' }
          : undefined;
    if (manager === undefined || typeof text !== 'string') continue;
    let configuration: JsonValue;
    try {
      configuration = JSON.parse(text) as JsonValue;
    } catch {
      continue;
    }
    if (!isRecord(configuration)) continue;
    entries.push({
      manager: manager.name,
      operation: manager.operation,
      apiVersion,
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(configuration),
    });
  }
  return entries.length === 0
    ? undefined
    : entries.sort((a, b) => String(a['manager']).localeCompare(String(b['manager'])));
}
