import type { JsonValue } from '../../../../lib/model/daemon-set.js';

type JsonRecord = { readonly [key: string]: JsonValue };

/** A strategic merge patch that cannot be applied (a bad directive): the API server answers 422 or 400. */
export class StrategicMergePatchError extends Error {
  override readonly name = 'StrategicMergePatchError';
}

/** A container's lists merged by key. */
const CONTAINER_LISTS: readonly (readonly [field: string, key: string])[] = [
  ['env', 'name'],
  ['ports', 'containerPort'],
  ['volumeMounts', 'mountPath'],
  ['volumeDevices', 'devicePath'],
];

/**
 * The lists Kubernetes merges by key (`patchStrategy:"merge"` with `patchMergeKey` in the Go types of
 * core/v1 and apps/v1), by the field path that leads to them with list indexes left out. A list not named
 * here is replaced whole (tolerations, args, command, nodeSelectorTerms...), as in Kubernetes.
 */
const MERGE_KEYS: readonly (readonly [suffix: string, key: string])[] = [
  ['spec.containers', 'name'],
  ['spec.initContainers', 'name'],
  ['spec.ephemeralContainers', 'name'],
  ['spec.volumes', 'name'],
  ['spec.imagePullSecrets', 'name'],
  ['spec.hostAliases', 'ip'],
  ['spec.schedulingGates', 'name'],
  ['spec.resourceClaims', 'name'],
  ['spec.topologySpreadConstraints', 'topologyKey'],
  ...['containers', 'initContainers', 'ephemeralContainers'].flatMap((list) =>
    CONTAINER_LISTS.map(([field, key]) => [`${list}.${field}`, key] as const),
  ),
  ['metadata.ownerReferences', 'uid'],
  ['status.conditions', 'type'],
  ['status.addresses', 'type'],
];

/** Lists of scalars Kubernetes merges as sets (`patchStrategy:"merge"` on a []string). */
const MERGED_SCALAR_LISTS: readonly string[] = ['metadata.finalizers'];

const isRecord = (value: JsonValue | undefined): value is JsonRecord =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const endsWithField = (path: string, suffix: string): boolean => path === suffix || path.endsWith(`.${suffix}`);

/** The key a list at this path (list indexes left out) merges its items by, undefined for an atomic list. */
export function mergeKeyOf(path: string): string | undefined {
  return MERGE_KEYS.find(([suffix]) => endsWithField(path, suffix))?.[1];
}

/** The patch value without its directives (what a replaced or added value becomes). */
function withoutDirectives(value: JsonValue): JsonValue {
  if (Array.isArray(value)) {
    return value.filter((item) => !(isRecord(item) && Object.hasOwn(item, '$patch'))).map(withoutDirectives);
  }
  if (!isRecord(value)) return value;
  const result: Record<string, JsonValue> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key.startsWith('$')) continue;
    if (item === null) continue;
    result[key] = withoutDirectives(item);
  }
  return result;
}

/**
 * Kubernetes' strategic merge patch (`application/strategic-merge-patch+json`), what `kubectl apply`,
 * `kubectl taint`, `kubectl cordon` and `kubectl rollout undo` send: objects merge, `null` deletes, lists
 * with a merge key merge element by element (containers by name, ports by containerPort, volumeMounts by
 * mountPath...), other lists are replaced; the directives `$patch: replace|delete|merge`,
 * `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>` and `$retainKeys` are honoured.
 *
 * @example
 * strategicMergePatch(daemonSet, { spec: { template: { spec: { containers: [{ name: 'app', image: 'app:2' }] } } } })
 * // only the image of container `app` changes; the other containers and fields stay
 */
export function strategicMergePatch(
  original: JsonValue | undefined,
  patch: JsonValue,
  path = '',
): JsonValue | undefined {
  if (!isRecord(patch)) return patch;
  const directive = patch['$patch'];
  if (directive === 'replace') return withoutDirectives(patch);
  if (directive === 'delete') return undefined;
  if (directive !== undefined && directive !== 'merge') {
    throw new StrategicMergePatchError(
      `unknown patch type: ${JSON.stringify(directive)} in map: ${JSON.stringify(patch)}`,
    );
  }
  const result: Record<string, JsonValue> = isRecord(original) ? { ...original } : {};
  const orders: [string, JsonValue][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys') continue;
    if (key.startsWith('$setElementOrder/')) {
      orders.push([key.slice('$setElementOrder/'.length), value]);
      continue;
    }
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const drop = new Set((Array.isArray(value) ? value : []).map((item) => JSON.stringify(item)));
      const current = result[field];
      if (Array.isArray(current)) result[field] = current.filter((item) => !drop.has(JSON.stringify(item)));
      continue;
    }
    const childPath = path === '' ? key : `${path}.${key}`;
    if (value === null) {
      delete result[key];
    } else if (Array.isArray(value)) {
      const merged = mergeList(result[key], value, childPath);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else if (isRecord(value)) {
      const merged = strategicMergePatch(result[key], value, childPath);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else {
      result[key] = value;
    }
  }
  for (const [field, order] of orders) {
    const current = result[field];
    if (Array.isArray(current) && Array.isArray(order)) {
      result[field] = reorder(current, order, mergeKeyOf(path === '' ? field : `${path}.${field}`));
    }
  }
  const retain = patch['$retainKeys'];
  if (Array.isArray(retain)) {
    const kept = new Set(retain.filter((item): item is string => typeof item === 'string'));
    for (const key of Object.keys(result)) if (!kept.has(key)) delete result[key];
  }
  return result;
}

function mergeList(original: JsonValue | undefined, patch: readonly JsonValue[], path: string): JsonValue | undefined {
  const current = Array.isArray(original) ? original : [];
  if (MERGED_SCALAR_LISTS.some((suffix) => endsWithField(path, suffix))) {
    const seen = new Set(current.map((item) => JSON.stringify(item)));
    return [...current, ...patch.filter((item) => !seen.has(JSON.stringify(item)))];
  }
  const key = mergeKeyOf(path);
  if (patch.some((item) => isRecord(item) && item['$patch'] === 'replace')) return withoutDirectives([...patch]);
  if (key === undefined) return withoutDirectives([...patch]);
  const result: JsonValue[] = [...current];
  for (const item of patch) {
    if (!isRecord(item)) throw new StrategicMergePatchError(`${path}: a list merged by ${key} must hold objects`);
    const at = result.findIndex((candidate) => isRecord(candidate) && sameKey(candidate[key], item[key]));
    if (item['$patch'] === 'delete') {
      if (at >= 0) result.splice(at, 1);
      continue;
    }
    if (at >= 0) {
      const merged = strategicMergePatch(result[at], item, path);
      if (merged === undefined) result.splice(at, 1);
      else result[at] = merged;
    } else {
      result.push(withoutDirectives(item));
    }
  }
  return result;
}

/** A merge key matches across number and string spellings (`containerPort: 80` and `"80"`). */
const sameKey = (a: JsonValue | undefined, b: JsonValue | undefined): boolean =>
  a !== undefined && b !== undefined && String(a) === String(b);

/** `$setElementOrder`: the listed elements in the listed order, then any others in their current order. */
function reorder(list: readonly JsonValue[], order: readonly JsonValue[], key: string | undefined): JsonValue[] {
  const identity = (item: JsonValue | undefined): string =>
    key !== undefined && isRecord(item) ? String(item[key]) : JSON.stringify(item);
  const wanted = order.map((item) => (key !== undefined && isRecord(item) ? String(item[key]) : JSON.stringify(item)));
  const placed = wanted.flatMap((id) => list.filter((item) => identity(item) === id).slice(0, 1));
  const rest = list.filter((item) => !wanted.includes(identity(item)));
  return [...placed, ...rest];
}
