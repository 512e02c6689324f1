import type { JsonValue } from '../model/daemon-set.js';
import { canonicalJson } from '../revision/canonical-json.js';

/** Whether two plain data values are equal, whatever the order of their keys (absent and undefined agree). */
export function isSameContent(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  return canonicalJson(a as JsonValue) === canonicalJson(b as JsonValue);
}
