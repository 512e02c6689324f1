import type { JsonValue } from '../../model/daemon-set.js';
import type { Node } from '../../model/node.js';
import type { PodStatusReport } from '../../model/pod.js';
import type { FactOutcome } from '../../ports/cluster-store.js';
import { TerminalError } from '../../ports/errors.js';
import { canonicalJson } from '../../revision/canonical-json.js';
import type { DesiredPod, NodeRecord, PodStatusRecord } from './stored-records.js';

// Planners of fact writes: a fact is ordered against the stored one by its time (normalised here), and
// written only when newer. Node facts and pod status reports; DaemonSet facts are in plan-daemon-set-fact.ts.

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

/** What storing a pod status report writes. */
export type PodStatusWrite = Readonly<{
  outcome: FactOutcome;
  /** The status record to store, absent when the stored one stays. */
  status?: PodStatusRecord;
  /** The agent confirmed a terminating pod is gone: remove the desired pod. */
  removeDesired: boolean;
}>;

/**
 * Plans `putPodStatus`. Desired and reported state live apart and never overwrite each other. A report
 * older than the stored one changes nothing. `gone` on a terminating pod ends it; the status then stays
 * as a `gone` marker (with an expiry) so a late, older report cannot bring it back. A status without a
 * desired pod is kept with an expiry too.
 *
 * @param report with `observedAt` normalised.
 */
export function planPodStatus(
  desired: DesiredPod | undefined,
  stored: PodStatusRecord | undefined,
  report: PodStatusReport,
  orphanStatusSeconds: number,
): PodStatusWrite {
  const gone = report.gone === true;
  const orphan = gone || desired === undefined;
  const status: PodStatusRecord = {
    nodeName: report.nodeName,
    revisionHash: report.revisionHash,
    phase: report.phase,
    ready: report.ready,
    ...(report.readySince === undefined ? {} : { readySince: report.readySince }),
    observedAt: report.observedAt,
    gone,
    ...(orphan ? { expiresAt: expiresAfter(report.observedAt, orphanStatusSeconds) } : {}),
  };
  const sameContent = stored !== undefined && isSameContent(withoutExpiry(stored), withoutExpiry(status));
  const decision = planFact(stored?.observedAt, report.observedAt, sameContent);
  const removeDesired = gone && desired?.deletionTimestamp !== undefined && decision.outcome !== 'stale';
  return {
    outcome: removeDesired ? 'stored' : decision.outcome,
    ...(decision.write ? { status } : {}),
    removeDesired,
  };
}

function withoutExpiry(status: PodStatusRecord): PodStatusRecord {
  const { expiresAt: _ignored, ...rest } = status;
  return rest;
}

/**
 * Normalises a fact's RFC 3339 time to `Date#toISOString` form (UTC, milliseconds) so that facts order by
 * plain string comparison, in the store's conditions as in memory.
 *
 * @throws {TerminalError} the time does not parse: retrying the fact cannot help.
 */
export function toFactTime(observedAt: string): string {
  const millis = Date.parse(observedAt);
  if (Number.isNaN(millis)) throw new TerminalError(`not an RFC 3339 time: ${JSON.stringify(observedAt)}`);
  return new Date(millis).toISOString();
}

/** Epoch seconds `seconds` after an RFC 3339 time: a time-to-live value for DynamoDB's `expiresAt`. */
export function expiresAfter(time: string, seconds: number): number {
  return Math.floor(Date.parse(time) / 1000) + seconds;
}

/** Whether two plain data values are equal, whatever the order of their keys (absent and undefined agree). */
export function isSameContent(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  return canonicalJson(a as JsonValue) === canonicalJson(b as JsonValue);
}
