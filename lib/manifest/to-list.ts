import type { JsonObject } from '../model/daemon-set.js';

/**
 * Wraps objects in a list as `kubectl get ... -o yaml|json` prints several: `kind: List` (apiVersion v1), or a
 * typed list such as `DaemonSetList` in its items' apiVersion. `readManifests` flattens either back.
 */
export function toList(kind: string, items: readonly JsonObject[]): JsonObject {
  const itemApiVersion = items[0]?.['apiVersion'];
  const apiVersion = kind !== 'List' && typeof itemApiVersion === 'string' ? itemApiVersion : 'v1';
  return { apiVersion, items, kind, metadata: { resourceVersion: '' } };
}
