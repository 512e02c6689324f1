import { setTimeout as sleep } from 'node:timers/promises';

/** How long a write may take to show in reads before the CLI stops waiting for it. */
export const VISIBILITY_TIMEOUT_MS = 15_000;

/**
 * The API accepts writes as facts (202) and applies them a moment later. Commands wait until their write
 * shows in reads, so `everynode apply ... && everynode rollout status ...` behaves as it does with kubectl.
 * Returns false (and tells the user on stderr) if it did not show in time; the write was accepted anyway.
 */
export async function awaitVisible(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = VISIBILITY_TIMEOUT_MS,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    if (await check()) return true;
    if (Date.now() + delay > deadline) {
      process.stderr.write(`note: ${what} was accepted but is not visible yet; it will apply shortly\n`);
      return false;
    }
    await sleep(delay);
  }
}
