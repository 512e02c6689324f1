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
