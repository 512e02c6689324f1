/**
 * Lenient reads of Kubernetes-style JSON from the API (kubectl prints what the server sends; a missing
 * field prints as empty, never as an error).
 */
export type KubeObject = Readonly<Record<string, unknown>>;

/** The value at a path of keys, or undefined when any step is missing or not an object. */
export function at(object: unknown, ...path: readonly string[]): unknown {
  let current: unknown = object;
  for (const key of path) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

export function stringAt(object: unknown, ...path: readonly string[]): string | undefined {
  const value = at(object, ...path);
  return typeof value === 'string' ? value : undefined;
}

export function numberAt(object: unknown, ...path: readonly string[]): number | undefined {
  const value = at(object, ...path);
  return typeof value === 'number' ? value : undefined;
}

export function objectAt(object: unknown, ...path: readonly string[]): KubeObject | undefined {
  const value = at(object, ...path);
  return isObject(value) ? value : undefined;
}

export function listAt(object: unknown, ...path: readonly string[]): readonly unknown[] {
  const value = at(object, ...path);
  return Array.isArray(value) ? value : [];
}

/** A `map[string]string` such as labels; non-string entries are skipped. */
export function stringMapAt(object: unknown, ...path: readonly string[]): Readonly<Record<string, string>> {
  const value = objectAt(object, ...path) ?? {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/** The objects of a List response (`items`), or the response itself when it is an array. */
export function itemsOf(list: unknown): readonly KubeObject[] {
  const items = Array.isArray(list) ? list : listAt(list, 'items');
  return items.filter(isObject);
}

export const nameOf = (object: unknown): string => stringAt(object, 'metadata', 'name') ?? '';
export const namespaceOf = (object: unknown): string => stringAt(object, 'metadata', 'namespace') ?? '';
export const labelsOf = (object: unknown): Readonly<Record<string, string>> =>
  stringMapAt(object, 'metadata', 'labels');
export const creationOf = (object: unknown): string | undefined => stringAt(object, 'metadata', 'creationTimestamp');

export function isObject(value: unknown): value is KubeObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
