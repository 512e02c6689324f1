import type { DaemonSetUpdate, ItemWrite, StepWrites } from './plan-step-writes.js';

/**
 * Items per transaction besides the DaemonSet's state item (DynamoDB allows 100 per TransactWriteItems).
 * A step that reverts the template also rewrites the spec item, so its chunks take one item fewer.
 */
export const ITEMS_PER_CHUNK = 99;

/** What one chunk does to the DaemonSet: move its version on by one (and, last, write bookkeeping). */
export type DaemonSetGuard = Readonly<{
  kind: 'advance';
  expectedVersion: number;
  nextVersion: number;
  update?: DaemonSetUpdate;
}>;

/** One atomic write: items plus the guard on the DaemonSet's version. */
export type Chunk = Readonly<{ items: readonly ItemWrite[]; guard: DaemonSetGuard }>;

/**
 * Splits a step into atomic chunks. One chunk when it fits: the DaemonSet moves from `expectedVersion` to
 * the next version with everything else. Otherwise chunk i moves the version from v+i to v+i+1, and the last
 * also writes status, memory and a reverted template. Every chunk moves the version, so:
 * - a competing reconciler that writes between two of our chunks moves it, and our remaining chunks fail
 *   instead of interleaving with its step;
 * - a reader that loaded a half-applied step (at v+i) can write only if none of our later chunks landed since,
 *   so it never decides from state older than what is stored. (With a mere version check in the middle
 *   chunks, a reader at v+1 could write after chunk 2 landed: a 1,000-node benchmark caught a second pod on a
 *   node that way.)
 */
export function planChunks(writes: StepWrites, expectedVersion: number): readonly Chunk[] {
  const parts: ItemWrite[][] = [];
  const size = ITEMS_PER_CHUNK - (writes.update.daemonSet === undefined ? 0 : 1);
  for (let start = 0; start < writes.items.length; start += size) {
    parts.push(writes.items.slice(start, start + size));
  }
  if (parts.length <= 1) {
    const guard = {
      kind: 'advance',
      expectedVersion,
      nextVersion: expectedVersion + 1,
      update: writes.update,
    } as const;
    return [{ items: parts[0] ?? [], guard }];
  }
  const last = parts.length - 1;
  return parts.map(
    (items, index): Chunk => ({
      items,
      guard: {
        kind: 'advance',
        expectedVersion: expectedVersion + index,
        nextVersion: expectedVersion + index + 1,
        ...(index === last && writes.update !== undefined ? { update: writes.update } : {}),
      },
    }),
  );
}
