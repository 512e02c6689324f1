import type { Pod } from '../model/pod.js';

/**
 * Kubernetes' `podutil.IsPodAvailable`: Ready, and either `minReadySeconds` is 0 or the Ready
 * condition turned true more than `minReadySeconds` before `now` (strictly). A ready pod without a
 * known `readySince` is never available when `minReadySeconds` > 0, as a zero `lastTransitionTime` is not.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (!pod.ready) return false;
  if (minReadySeconds === 0) return true;
  const readySince = readySinceMs(pod);
  return readySince !== undefined && readySince + minReadySeconds * 1000 < now;
}

/**
 * Epoch ms from which a ready pod counts as available (`readySince + minReadySeconds`; availability
 * starts just after it), or `undefined` when the pod is not ready or its Ready time is unknown.
 */
export function availableFrom(pod: Pod, minReadySeconds: number): number | undefined {
  if (!pod.ready) return undefined;
  const readySince = readySinceMs(pod);
  return readySince === undefined ? undefined : readySince + minReadySeconds * 1000;
}

/** Seconds until a ready pod becomes available (the first whole second strictly after), if it is not yet. */
export function secondsUntilAvailable(pod: Pod, minReadySeconds: number, now: number): number | undefined {
  if (!pod.ready || minReadySeconds === 0 || isPodAvailable(pod, minReadySeconds, now)) return undefined;
  const from = availableFrom(pod, minReadySeconds);
  // Unknown Ready time: look again after minReadySeconds, as Kubernetes' status pass does.
  return from === undefined ? minReadySeconds : Math.floor((from - now) / 1000) + 1;
}

function readySinceMs(pod: Pod): number | undefined {
  if (pod.readySince === undefined) return undefined;
  const parsed = Date.parse(pod.readySince);
  return Number.isNaN(parsed) ? undefined : parsed;
}
