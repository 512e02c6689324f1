import type { ControllerRevision } from './daemon-set.js';
import type { Pod } from './pod.js';

// The orders planners sort their inputs by, so the same snapshot always yields the same plan.

/**
 * Kubernetes' `podByCreationTimestampAndPhase`: scheduled pods first, then the oldest
 * `creationTimestamp`, then the name. The first pod of a node sorted this way is the one Kubernetes keeps
 * and the one status counts.
 */
export function comparePodsByAge(a: Pod, b: Pod): number {
  if (a.scheduled !== b.scheduled) return a.scheduled ? -1 : 1;
  const created = Date.parse(a.creationTimestamp) - Date.parse(b.creationTimestamp);
  if (created !== 0 && !Number.isNaN(created)) return created;
  return compareStrings(a.name, b.name);
}

/** Code-unit order, as Go compares strings (never locale-dependent). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders revisions oldest first: by revision number, then by name so equal numbers sort stably. */
export function byRevision(a: ControllerRevision, b: ControllerRevision): number {
  return a.revision - b.revision || compareStrings(a.name, b.name);
}
