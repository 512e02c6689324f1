import { createHash } from 'node:crypto';
import type { JsonObject, JsonValue } from '../../../lib/model/daemon-set.js';
import type { RouteRequest } from '../api-deps.js';
import { invalid } from '../invalid.js';
import { ApiError } from '../responses.js';
import { queryParam } from './kube-request.js';
import { groupVersion, type KubeResource } from './kube-resources.js';
import { APPLIED_PREFIX, LAST_APPLIED } from './managed-fields.js';
import { strategicMergePatch } from './patch/strategic-merge-patch.js';

const isRecord = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function annotationKey(manager: string): string {
  const name = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(manager)
    ? manager
    : `m-${createHash('sha1').update(manager).digest('hex').slice(0, 16)}`;
  return `${APPLIED_PREFIX}${name}`;
}

/** Leaf paths a configuration sets, with their values: `.spec.template.spec.containers[name="app"].image`. */
function leaves(value: JsonValue, path: string, out: Map<string, JsonValue>): Map<string, JsonValue> {
  if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (path === '' && (key === 'apiVersion' || key === 'kind')) continue;
      if (path === '.metadata' && (key === 'name' || key === 'namespace')) continue;
      leaves(item, `${path}.${key}`, out);
    }
    return out;
  }
  if (Array.isArray(value) && value.every((item) => isRecord(item) && typeof item['name'] === 'string')) {
    for (const item of value as JsonObject[]) leaves(item, `${path}[name="${String(item['name'])}"]`, out);
    return out;
  }
  out.set(path, value);
  return out;
}

const same = (a: JsonValue | undefined, b: JsonValue | undefined): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Parses a recorded configuration, or undefined when there is none (or it does not parse). */
function recorded(annotations: JsonObject, key: string): JsonObject | undefined {
  const text = annotations[key];
  if (typeof text !== 'string') return undefined;
  try {
    const value = JSON.parse(text) as JsonValue;
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** `null` at every path the old configuration set and the new one leaves out: the three-way removal. */
function removals(previous: JsonValue | undefined, next: JsonValue | undefined): JsonValue | undefined {
  if (!isRecord(previous)) return undefined;
  const result: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(previous)) {
    const kept = isRecord(next) ? next[key] : undefined;
    if (kept === undefined) result[key] = null;
    else if (isRecord(value) && isRecord(kept)) {
      const nested = removals(value, kept);
      if (isRecord(nested) && Object.keys(nested).length > 0) result[key] = nested;
    }
  }
  return result;
}

/**
 * Server-side apply (`application/apply-patch+yaml`, `kubectl apply --server-side`): the configuration is
 * merged into the live object as a strategic merge patch, fields this manager applied before and now
 * leaves out are removed, and a field another manager applied with a different value is a 409 conflict in
 * Kubernetes' words unless `force=true`, which takes it over. A first server-side apply by `kubectl` over a
 * client-side applied object takes over that configuration, as kubectl's migration does.
 *
 * @throws ApiError 422 without `fieldManager`, 409 on conflicts.
 */
export function serverSideApply(
  request: RouteRequest,
  resource: KubeResource,
  live: JsonObject | undefined,
  applied: JsonValue,
): JsonObject {
  const manager = queryParam(request.event, 'fieldManager') ?? '';
  if (manager === '') {
    throw invalid({ kind: 'PatchOptions', group: 'meta.k8s.io', name: '' }, [
      { reason: 'FieldValueRequired', field: 'fieldManager', message: 'Required value: is required for apply patch' },
    ]);
  }
  if (!isRecord(applied)) throw new ApiError(400, 'BadRequest', 'an apply patch must be one object');
  const force = queryParam(request.event, 'force') === 'true';
  const ownKey = annotationKey(manager);
  const liveAnnotations =
    (isRecord(live?.['metadata']) ? (live['metadata'] as JsonObject)['annotations'] : undefined) ?? {};
  const annotations = isRecord(liveAnnotations) ? liveAnnotations : {};
  const previous =
    recorded(annotations, ownKey) ?? (manager === 'kubectl' ? recorded(annotations, LAST_APPLIED) : undefined);

  const conflicts: string[] = [];
  if (live !== undefined && !force) {
    const wanted = leaves(applied, '', new Map());
    for (const [key, text] of Object.entries(annotations)) {
      const other =
        key === ownKey || (key === LAST_APPLIED && manager === 'kubectl')
          ? undefined
          : key.startsWith(APPLIED_PREFIX)
            ? { name: key.slice(APPLIED_PREFIX.length), config: recorded(annotations, key) }
            : key === LAST_APPLIED && typeof text === 'string'
              ? { name: 'kubectl-client-side-apply', config: recorded(annotations, key) }
              : undefined;
      if (other?.config === undefined) continue;
      const theirs = leaves(other.config, '', new Map());
      for (const [path, value] of wanted) {
        if (theirs.has(path) && !same(theirs.get(path), value)) {
          conflicts.push(`conflict with "${other.name}" using ${groupVersion(resource)}: ${path}`);
        }
      }
    }
  }
  if (conflicts.length > 0) {
    const name = live === undefined ? '' : String((live['metadata'] as JsonObject)['name'] ?? '');
    const summary = conflicts.length === 1 ? '1 conflict' : `${conflicts.length} conflicts`;
    throw new ApiError(409, 'Conflict', `Apply failed with ${summary}: ${conflicts.join('\n')}`, {
      name,
      ...(resource.group === '' ? {} : { group: resource.group }),
      kind: resource.plural,
      causes: conflicts.map((message) => ({
        reason: 'FieldManagerConflict',
        message,
        field: message.slice(message.lastIndexOf(': ') + 2),
      })),
    });
  }
  const stripped = {
    ...applied,
    metadata: { ...(isRecord(applied['metadata']) ? applied['metadata'] : {}) },
  } as JsonObject;
  const patch = strategicMergePatch(removals(previous, stripped) ?? {}, stripped) as JsonObject;
  const merged = (strategicMergePatch(live ?? {}, patch) ?? {}) as JsonObject;
  const metadata = (merged['metadata'] ?? {}) as JsonObject;
  const mergedAnnotations = { ...((metadata['annotations'] ?? {}) as JsonObject), [ownKey]: JSON.stringify(applied) };
  return { ...merged, metadata: { ...metadata, annotations: mergedAnnotations } };
}
