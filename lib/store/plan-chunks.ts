import type { DaemonSetUpdate, ItemWrite, StepWrites } from './plan-step-writes.js';

/** Items per transaction besides the DaemonSet record (DynamoDB allows 100 per TransactWriteItems). */
export const ITEMS_PER_CHUNK = 99;

/** What one chunk does to the DaemonSet record: move its version (and maybe write bookkeeping), or only check it. */
export type DaemonSetGuard =
  | Readonly<{ kind: 'advance'; expectedVersion: number; nextVersion: number; update?: DaemonSetUpdate }>
  | Readonly<{ kind: 'check'; expectedVersion: number }>;

/** One atomic write: items plus the guard on the DaemonSet record. */
export type Chunk = Readonly<{ items: readonly ItemWrite[]; guard: DaemonSetGuard }>;

/**
 * Splits a step into atomic chunks. One chunk when it fits: the DaemonSet moves from `expectedVersion` to
 * the next version with everything else. Otherwise the first chunk claims the DaemonSet (version v → v+1),
 * middle chunks check it is still at v+1, and the last writes status, memory and a reverted template while
 * moving it to v+2. A competing reconciler that claims or writes in between moves the version, so our
 * remaining chunks fail instead of interleaving with its step; and a reader that saw a half-applied step
 * (at v+1) cannot apply a step decided from it once we finish.
 */
export function planChunks(writes: StepWrites, expectedVersion: number): readonly Chunk[] {
  const parts: ItemWrite[][] = [];
  for (let start = 0; start < writes.items.length; start += ITEMS_PER_CHUNK) {
    parts.push(writes.items.slice(start, start + ITEMS_PER_CHUNK));
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
  const claimed = expectedVersion + 1;
  return parts.map((items, index): Chunk => {
    if (index === 0) return { items, guard: { kind: 'advance', expectedVersion, nextVersion: claimed } };
    if (index < parts.length - 1) return { items, guard: { kind: 'check', expectedVersion: claimed } };
    return {
      items,
      guard: { kind: 'advance', expectedVersion: claimed, nextVersion: claimed + 1, update: writes.update },
    };
  });
}
