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
