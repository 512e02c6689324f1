/** Kubernetes' container restart back-off: 10 s, doubled per restart, at most 5 minutes. */
export const CRASH_LOOP_BACKOFF = { initialMs: 10_000, maxMs: 300_000 } as const;

export type BackoffLimits = Readonly<{ initialMs: number; maxMs: number }>;

/**
 * How long the kubelet waits before the next start of a container that has exited after `restarts`
 * restarts: `initial * 2^restarts`, capped at `max`. A container that ran for twice the cap before it
 * exited had recovered: its back-off starts over.
 *
 * @example crashLoopDelayMs(0, 5_000) // 10_000
 * @example crashLoopDelayMs(3, 5_000) // 80_000
 */
export function crashLoopDelayMs(
  restarts: number,
  ranForMs: number,
  limits: BackoffLimits = CRASH_LOOP_BACKOFF,
): number {
  if (ranForMs >= 2 * limits.maxMs) return 0;
  const exponent = Math.min(Math.max(0, restarts), 30);
  return Math.min(limits.initialMs * 2 ** exponent, limits.maxMs);
}
