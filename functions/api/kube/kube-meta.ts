import { createHash } from 'node:crypto';
import type { JsonObject, JsonValue } from '../../../lib/model/daemon-set.js';
import { canonicalJson } from '../../../lib/revision/canonical-json.js';

/**
 * A stable `metadata.uid` for an object everynode keeps without one: a version-5-shaped UUID from a SHA-1 of
 * its kind, identity and creation time, so a DaemonSet deleted and created again gets a new uid (as in
 * Kubernetes), and every reader (kubectl's `rollout history` matches revisions to their owner by uid) agrees.
 */
export function stableUid(...parts: readonly string[]): string {
  const hex = createHash('sha1').update(parts.join('\u0000')).digest('hex');
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * A resourceVersion derived from content: a decimal of the first 48 bits of a SHA-1 over the canonical JSON.
 * It changes whenever the object (or the collection) changes, and is the same for every reader; clients treat
 * it as opaque, as Kubernetes asks them to.
 */
export function contentVersion(value: JsonValue): string {
  const hex = createHash('sha1').update(canonicalJson(value)).digest('hex');
  return String(Number.parseInt(hex.slice(0, 12), 16));
}

/** The object with `metadata.uid` and a content `metadata.resourceVersion` (computed without the old one). */
export function withIdentity(object: JsonObject, uid: string): JsonObject {
  const metadata = { ...(object['metadata'] as JsonObject) };
  delete metadata['resourceVersion'];
  const stamped = { ...object, metadata: { ...metadata, uid } };
  return { ...stamped, metadata: { ...stamped.metadata, resourceVersion: contentVersion(stamped) } };
}

/** `metadata.<field>` of an object, when it is a string. */
export function metaString(object: JsonObject, field: string): string | undefined {
  const metadata = object['metadata'];
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return undefined;
  const value = (metadata as JsonObject)[field];
  return typeof value === 'string' ? value : undefined;
}

/** `namespace/name` (or `name` for a cluster-scoped object): the identity a watch tracks. */
export function objectKey(object: JsonObject): string {
  const namespace = metaString(object, 'namespace');
  const name = metaString(object, 'name') ?? '';
  return namespace === undefined ? name : `${namespace}/${name}`;
}

/** The resourceVersion of a collection as listed: a digest of every member's key and resourceVersion. */
export function collectionVersion(objects: readonly JsonObject[]): string {
  const entries = objects.map((object) => `${objectKey(object)}@${metaString(object, 'resourceVersion') ?? ''}`);
  return contentVersion(entries.sort());
}
