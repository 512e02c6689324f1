import type { JsonValue } from '../../../../lib/model/daemon-set.js';

/** A JSON patch that cannot be applied: the API server answers 422 (or 409 for a failed `test`). */
export class JsonPatchError extends Error {
  override readonly name = 'JsonPatchError';
  readonly failedTest: boolean;
  constructor(message: string, failedTest = false) {
    super(message);
    this.failedTest = failedTest;
  }
}

type Container = Record<string, JsonValue> | JsonValue[];

const clone = (value: JsonValue): JsonValue => structuredClone(value) as JsonValue;

/** RFC 6901: `/spec/template/spec/containers/0/image` → its reference tokens. */
function tokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new JsonPatchError(`invalid JSON pointer ${JSON.stringify(pointer)}`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function parentOf(root: JsonValue, path: readonly string[], pointer: string): Container {
  let current: JsonValue = root;
  for (const token of path.slice(0, -1)) {
    const next: JsonValue | undefined = Array.isArray(current)
      ? current[Number(token)]
      : typeof current === 'object' && current !== null
        ? (current as Record<string, JsonValue>)[token]
        : undefined;
    if (next === undefined || typeof next !== 'object' || next === null) {
      throw new JsonPatchError(`doc is missing path: ${pointer}`);
    }
    current = next;
  }
  if (typeof current !== 'object' || current === null) throw new JsonPatchError(`doc is missing path: ${pointer}`);
  return current as Container;
}

function index(list: JsonValue[], token: string, pointer: string, adding: boolean): number {
  if (adding && token === '-') return list.length;
  if (!/^(0|[1-9]\d*)$/.test(token)) throw new JsonPatchError(`invalid array index ${token} in ${pointer}`);
  const at = Number(token);
  if (at > list.length || (!adding && at === list.length)) {
    throw new JsonPatchError(`array index ${at} out of bounds in ${pointer}`);
  }
  return at;
}

function read(root: JsonValue, pointer: string): JsonValue {
  const path = tokens(pointer);
  if (path.length === 0) return root;
  const parent = parentOf(root, path, pointer);
  const last = path.at(-1) ?? '';
  const value = Array.isArray(parent) ? parent[index(parent, last, pointer, false)] : parent[last];
  if (value === undefined) throw new JsonPatchError(`doc is missing path: ${pointer}`);
  return value;
}

function remove(root: JsonValue, pointer: string): JsonValue {
  const path = tokens(pointer);
  const parent = parentOf(root, path, pointer);
  const last = path.at(-1) ?? '';
  if (Array.isArray(parent)) return parent.splice(index(parent, last, pointer, false), 1)[0] as JsonValue;
  if (!Object.hasOwn(parent, last)) throw new JsonPatchError(`doc is missing path: ${pointer}`);
  const value = parent[last] as JsonValue;
  delete parent[last];
  return value;
}

function add(root: JsonValue, pointer: string, value: JsonValue): JsonValue {
  const path = tokens(pointer);
  if (path.length === 0) return value;
  const parent = parentOf(root, path, pointer);
  const last = path.at(-1) ?? '';
  if (Array.isArray(parent)) parent.splice(index(parent, last, pointer, true), 0, value);
  else parent[last] = value;
  return root;
}

const deepEqual = (a: JsonValue, b: JsonValue): boolean => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
const sorted = (value: JsonValue): JsonValue =>
  Array.isArray(value)
    ? value.map(sorted)
    : typeof value === 'object' && value !== null
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((key) => [key, sorted((value as Record<string, JsonValue>)[key] as JsonValue)]),
        )
      : value;

/**
 * RFC 6902 JSON patch (`application/json-patch+json`): add, remove, replace, move, copy and test, applied in
 * order to a copy of the document; the first operation that cannot be applied fails the whole patch.
 *
 * @throws JsonPatchError naming the operation and path.
 */
export function jsonPatch(document: JsonValue, operations: unknown): JsonValue {
  if (!Array.isArray(operations)) throw new JsonPatchError('a JSON patch must be a list of operations');
  let root = clone(document);
  for (const operation of operations as Record<string, unknown>[]) {
    const op = operation?.['op'];
    const path = operation?.['path'];
    if (typeof path !== 'string') throw new JsonPatchError(`operation ${JSON.stringify(operation)} has no path`);
    const value = operation['value'] as JsonValue | undefined;
    const from = operation['from'];
    const needValue = (): JsonValue => {
      if (value === undefined) throw new JsonPatchError(`${String(op)} operation at ${path} has no value`);
      return clone(value);
    };
    const needFrom = (): string => {
      if (typeof from !== 'string') throw new JsonPatchError(`${String(op)} operation at ${path} has no from`);
      return from;
    };
    switch (op) {
      case 'add':
        root = add(root, path, needValue());
        break;
      case 'remove':
        remove(root, path);
        break;
      case 'replace':
        read(root, path);
        if (tokens(path).length === 0) root = needValue();
        else {
          remove(root, path);
          root = add(root, path, needValue());
        }
        break;
      case 'move': {
        const moved = remove(root, needFrom());
        root = add(root, path, moved);
        break;
      }
      case 'copy':
        root = add(root, path, clone(read(root, needFrom())));
        break;
      case 'test':
        if (!deepEqual(read(root, path), needValue())) throw new JsonPatchError(`testing value ${path} failed`, true);
        break;
      default:
        throw new JsonPatchError(`unexpected kind of operation: ${JSON.stringify(op)}`);
    }
  }
  return root;
}
