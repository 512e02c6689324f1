import { stringify } from 'yaml';

/** The machine-readable output formats every `get` accepts. */
export type ObjectFormat = 'json' | 'yaml';

/** A Kubernetes `v1` List of the given items, exactly as `kubectl get -o json` prints several objects. */
export function toListObject(items: readonly unknown[]): Readonly<Record<string, unknown>> {
  return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items };
}

/**
 * Renders one object (a `get` with a name) or a List (every other `get`) as kubectl does: JSON indented by
 * four spaces, or YAML that YAML 1.1 readers (kubectl, everynode) read back as written: strings such as
 * `n`, `yes` or `0644` are quoted. (This module is part of the `get` chunk, so the YAML writer loads only
 * with it.)
 */
export function formatObjects(format: ObjectFormat, object: unknown): string {
  return format === 'json' ? JSON.stringify(object, null, 4) : stringify(object, { version: '1.1' }).trimEnd();
}
