import type { PodTemplate } from '../model/daemon-set.js';
import { canonicalJson } from './canonical-json.js';

/**
 * Whether two pod templates are the same revision (Kubernetes compares the stored template bytes;
 * here, canonical JSON, so key order does not matter and everything else does).
 */
export function templatesEqual(a: PodTemplate, b: PodTemplate): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
