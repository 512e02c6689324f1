import type { PodTemplate } from '../model/daemon-set.js';
import { canonicalJson } from './canonical-json.js';

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

const OFFSET_BASIS = 0x811c9dc5;
const PRIME = 0x01000193;

/**
 * The 32-bit FNV-1a hash of some bytes (Go's `hash/fnv.New32a`), as an unsigned integer.
 *
 * @example
 * fnv1a32(new TextEncoder().encode('a')); // 0xe40c292c
 */
export function fnv1a32(bytes: Uint8Array): number {
  let hash = OFFSET_BASIS;
  for (const byte of bytes) {
    hash = Math.imul(hash ^ byte, PRIME);
  }
  return hash >>> 0;
}

// Kubernetes' rand.SafeEncodeString alphabet: no vowels (no accidental words), no 0/1/3 (look like o/l/e).
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * Kubernetes' `rand.SafeEncodeString`: maps every character to the safe alphabet by its code, so a
 * decimal hash becomes a label-safe string of the same length.
 *
 * @example
 * safeEncodeString('2166136261'); // '65bb57b6b5'
 */
export function safeEncodeString(text: string): string {
  return Array.from(text, (character) => ALPHANUMS[(character.codePointAt(0) ?? 0) % ALPHANUMS.length]).join('');
}
