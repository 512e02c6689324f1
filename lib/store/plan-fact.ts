import type { Node } from '../model/node.js';
import type { FactOutcome } from '../ports/cluster-store.js';
import { expiresAfter } from './fact-time.js';
import { isSameContent } from './same-content.js';
import type { NodeRecord } from './stored-records.js';

/** Whether to write a fact, and what storing it means. */
export type FactDecision = Readonly<{ write: boolean; outcome: FactOutcome }>;

/**
 * Orders a fact against the stored one by time. Older facts are `stale`; a fact at the same time is a
 * duplicate (`unchanged`) when its content matches and `stale` otherwise; a newer fact is written even
 * when its content matches (`unchanged`), so its time still refuses facts older than it.
 *
 * @param storedAt time of the stored fact, absent when nothing (not even a tombstone) is stored.
 * @param sameContent whether the visible content (absent counts as removed) stays as it is.
 */
export function planFact(storedAt: string | undefined, observedAt: string, sameContent: boolean): FactDecision {
  if (storedAt === undefined || storedAt < observedAt) {
    return { write: true, outcome: sameContent ? 'unchanged' : 'stored' };
  }
  if (storedAt === observedAt && sameContent) return { write: false, outcome: 'unchanged' };
  return { write: false, outcome: 'stale' };
}

/** A node fact as stored: the node, or (absent) its removal tombstone, which expires. */
export function toNodeRecord(node: Node | undefined, observedAt: string, tombstoneSeconds: number): NodeRecord {
  return node === undefined
    ? { observedAt, expiresAt: expiresAfter(observedAt, tombstoneSeconds) }
    : { node, observedAt };
}

/**
 * Plans a node fact: `node` to store it, absent to remove it (a tombstone that refuses older joins until
 * it expires). Removing an unknown node stores a tombstone but changes nothing visible (`unchanged`).
 */
export function planNodeFact(stored: NodeRecord | undefined, node: Node | undefined, observedAt: string): FactDecision {
  const sameContent = node === undefined ? stored?.node === undefined : isSameContent(stored?.node, node);
  return planFact(stored?.observedAt, observedAt, sameContent);
}
