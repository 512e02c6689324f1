import type { PodStatusReport } from '../model/pod.js';
import type { FactOutcome } from '../ports/cluster-store.js';
import { expiresAfter } from './fact-time.js';
import { planFact } from './plan-fact.js';
import { isSameContent } from './same-content.js';
import type { DesiredPod, PodStatusRecord } from './stored-records.js';

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
