import type { FailedPodBackoff } from '../model/controller-memory.js';

/** kube-controller-manager's `flowcontrol.NewBackOff(1s, 15m)` for failed daemon pods (no jitter). */
export const FAILED_POD_BACKOFF_INITIAL_MS = 1000;
export const FAILED_POD_BACKOFF_MAX_MS = 15 * 60 * 1000;

/**
 * `IsInBackOffSinceUpdate`: an entry of this generation, not idle for more than twice the maximum,
 * whose delay has not yet passed since its last deletion.
 */
export function isInBackoff(entry: FailedPodBackoff | undefined, generation: number, now: number): boolean {
  if (entry === undefined || entry.generation !== generation || hasExpired(entry, now)) return false;
  return now - entry.lastUpdate < entry.delayMs;
}

/** `Next`: start at 1 s (fresh, other generation, or idle for 30 min), otherwise double up to 15 min. */
export function nextBackoff(entry: FailedPodBackoff | undefined, generation: number, now: number): FailedPodBackoff {
  if (entry === undefined || entry.generation !== generation || hasExpired(entry, now)) {
    return { generation, delayMs: FAILED_POD_BACKOFF_INITIAL_MS, lastUpdate: now };
  }
  return { generation, delayMs: Math.min(entry.delayMs * 2, FAILED_POD_BACKOFF_MAX_MS), lastUpdate: now };
}

/** Milliseconds until the entry lets the next failed-pod deletion through. */
export function backoffRemainingMs(entry: FailedPodBackoff, now: number): number {
  return entry.lastUpdate + entry.delayMs - now;
}

/** `GC`: drops entries idle for more than twice the maximum delay. */
export function collectIdleBackoff(
  entries: Readonly<Record<string, FailedPodBackoff>>,
  now: number,
): Readonly<Record<string, FailedPodBackoff>> {
  return Object.fromEntries(Object.entries(entries).filter(([, entry]) => !hasExpired(entry, now)));
}

function hasExpired(entry: FailedPodBackoff, now: number): boolean {
  return now - entry.lastUpdate > 2 * FAILED_POD_BACKOFF_MAX_MS;
}
