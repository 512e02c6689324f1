/** Milliseconds since an arbitrary origin, with sub-millisecond resolution. */
export const nowMs = (): number => performance.now();

/** Runs `work` and returns its result with the elapsed milliseconds. */
export function timed<T>(work: () => T): Readonly<{ result: T; ms: number }> {
  const start = performance.now();
  const result = work();
  return { result, ms: performance.now() - start };
}

export async function timedAsync<T>(work: () => Promise<T>): Promise<Readonly<{ result: T; ms: number }>> {
  const start = performance.now();
  const result = await work();
  return { result, ms: performance.now() - start };
}
