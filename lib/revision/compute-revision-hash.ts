import type { PodTemplate } from '../model/daemon-set.js';
import { canonicalJson } from './canonical-json.js';
import { fnv1a32 } from './fnv1a32.js';
import { safeEncodeString } from './safe-encode-string.js';

/**
 * The `controller-revision-hash` of a pod template, as Kubernetes' `controller.ComputeHash`: FNV-1a 32
 * over the template (here its canonical JSON, so key order never matters), then, when there have been
 * hash collisions, the collision count as 8 little-endian bytes; the decimal result is safe-encoded to
 * at most 10 characters from `bcdfghjklmnpqrstvwxz2456789`. A collision count of 0 is treated like
 * Kubernetes' unset count (nothing appended), so templates that never collided hash the same everywhere.
 *
 * @example
 * computeRevisionHash(daemonSet.template); // e.g. '6d9f7c8b5d'
 * computeRevisionHash(daemonSet.template, 1); // a different hash, used after a name clash
 */
export function computeRevisionHash(template: PodTemplate, collisionCount?: number): string {
  const json = new TextEncoder().encode(canonicalJson(template));
  const bytes = collisionCount ? concat(json, littleEndianUint32(collisionCount)) : json;
  return safeEncodeString(String(fnv1a32(bytes)));
}

/** The ControllerRevision name for a hash: `<daemon set name>-<hash>`. */
export function revisionName(daemonSetName: string, hash: string): string {
  return `${daemonSetName}-${hash}`;
}

// binary.LittleEndian.PutUint32 into an 8-byte slice, as Kubernetes writes it.
function littleEndianUint32(value: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setUint32(0, value >>> 0, true);
  return bytes;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
