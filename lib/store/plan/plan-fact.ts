import type { FieldError } from '../../manifest/field-error.js';
import { readPlacement } from '../../manifest/read-placement.js';
import { RESTARTED_AT_ANNOTATION } from '../../manifest/unset-rollout-switches.js';
import { EMPTY_CONTROLLER_MEMORY } from '../../model/controller-memory.js';
import type {
  DaemonSet,
  DaemonSetKey,
  JsonValue,
  KeptOnApply,
  PodTemplate,
  RolloutSwitch,
} from '../../model/daemon-set.js';
import type { Node } from '../../model/node.js';
import type { PodStatusReport } from '../../model/pod.js';
import type { FactOutcome } from '../../ports/cluster-store.js';
import { DaemonSetNotFoundError, TerminalError } from '../../ports/errors.js';
import { canonicalJson } from '../../revision/canonical-json.js';
import { applyRolloutCommand } from '../../rollout/apply-rollout-command.js';
import {
  type DaemonSetRecord,
  type DesiredPod,
  type LiveDaemonSet,
  type NodeRecord,
  type PodStatusRecord,
  reportMatches,
  type SwitchTimes,
} from './stored-records.js';

// Planners of fact writes: a fact is ordered against the stored one by its time (normalised here) and written
// only when it is newer. Node facts, pod status reports, and DaemonSet applies, deletes and updates.

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
  if (desired !== undefined && !reportMatches(desired, report)) {
    throw new TerminalError(
      `pod status report for ${report.namespace}/${report.podName} does not match the pod: it names node ${JSON.stringify(report.nodeName)} and revision ${JSON.stringify(report.revisionHash)}, the pod runs on node ${JSON.stringify(desired.nodeName)} at revision ${JSON.stringify(desired.revisionHash)}`,
    );
  }
  const gone = report.gone === true;
  const orphan = gone || desired === undefined;
  const status: PodStatusRecord = {
    nodeName: report.nodeName,
    revisionHash: report.revisionHash,
    phase: report.phase,
    ready: report.ready,
    ...(report.readySince === undefined ? {} : { readySince: report.readySince }),
    ...(report.restartCount === undefined ? {} : { restartCount: report.restartCount }),
    ...(report.reason === undefined ? {} : { reason: report.reason }),
    ...(report.message === undefined ? {} : { message: report.message }),
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
 * How a DaemonSet write changes the stored record. `touch` only advances the fact time (and a tombstone's
 * expiry) without bumping the version, so a duplicate apply never disturbs a running reconcile.
 */
export type DaemonSetWrite = Readonly<
  (
    | { write: 'none' }
    | { write: 'touch'; observedAt?: string; expiresAt?: number; switchedAt?: SwitchTimes }
    | { write: 'put'; record: DaemonSetRecord }
  ) & { outcome: FactOutcome; generation: number }
>;

/** The fields whose change bumps `generation` (annotation-borne extensions arrive parsed into `rollout`). */
const SPEC_FIELDS = [
  'selector',
  'template',
  'placement',
  'updateStrategy',
  'minReadySeconds',
  'revisionHistoryLimit',
  'rollout',
] as const satisfies readonly (keyof DaemonSet)[];

/** Whether two DaemonSets have the same spec (metadata such as plain labels may still differ). */
export function hasSameSpec(a: DaemonSet, b: DaemonSet): boolean {
  return SPEC_FIELDS.every((field) => isSameContent(a[field], b[field]));
}

/**
 * Plans `applyDaemonSet`: a newer apply stores the spec (resurrecting a deleted or removed DaemonSet, as
 * the newest fact wins), bumping `generation` only when the spec changed; older applies are stale.
 * The store owns `generation`, `creationTimestamp` and `deletionTimestamp`; the input's are ignored.
 */
export function planApplyDaemonSet(
  stored: DaemonSetRecord | undefined,
  applied: DaemonSet,
  observedAt: string,
  keeps: readonly KeptOnApply[] = [],
): DaemonSetWrite {
  const live = stored?.kind === 'live' ? stored : undefined;
  const { daemonSet: input, switchedAt } = withStoredSwitches(applied, live, keeps, observedAt);
  const next = live === undefined ? created(input, observedAt) : updated(live.daemonSet, input, false);
  const sameContent = live !== undefined && isSameContent(next, live.daemonSet);
  const decision = planFact(stored?.observedAt, observedAt, sameContent);
  const generation = decision.write ? next.generation : (live?.daemonSet.generation ?? 0);
  if (!decision.write) return { write: 'none', outcome: decision.outcome, generation };
  if (sameContent) {
    const moved = isSameContent(switchedAt, live.switchedAt ?? {}) ? {} : { switchedAt };
    return { write: 'touch', observedAt, ...moved, outcome: decision.outcome, generation };
  }
  const record: LiveDaemonSet = {
    kind: 'live',
    daemonSet: next,
    version: (stored?.version ?? 0) + 1,
    observedAt,
    ...(Object.keys(switchedAt).length === 0 ? {} : { switchedAt }),
    ...(live?.status === undefined ? {} : { status: live.status }),
    memory: live?.memory ?? EMPTY_CONTROLLER_MEMORY,
  };
  return { write: 'put', record, outcome: decision.outcome, generation };
}

const ROLLOUT_SWITCHES: readonly RolloutSwitch[] = ['paused', 'frozen'];

/**
 * The applied DaemonSet with each rollout switch (and `rollout restart`'s `restartedAt`) decided from the stored
 * record (the same read the write is conditioned on): what the manifest leaves unset (`keeps`) keeps its stored
 * value, as kubectl's merge keeps fields another actor set; a switch the manifest names takes the manifest's value unless a newer switch fact
 * is stored. Returns the switch times the record then carries.
 */
function withStoredSwitches(
  applied: DaemonSet,
  live: LiveDaemonSet | undefined,
  keeps: readonly KeptOnApply[],
  observedAt: string,
): Readonly<{ daemonSet: DaemonSet; switchedAt: SwitchTimes }> {
  let daemonSet = applied;
  const switchedAt: Partial<Record<RolloutSwitch, string>> = { ...live?.switchedAt };
  for (const name of ROLLOUT_SWITCHES) {
    const storedAt = live?.switchedAt?.[name];
    const keep = live !== undefined && (keeps.includes(name) || (storedAt !== undefined && storedAt > observedAt));
    if (keep) daemonSet = withSwitch(daemonSet, name, live.daemonSet.rollout[name], observedAt);
    else if (!keeps.includes(name)) switchedAt[name] = observedAt;
  }
  // `rollout restart`'s template annotation, kept as kubectl's merge keeps it: re-applying the manifest after a
  // restart does not restart every pod again.
  const restartedAt = live?.daemonSet.template.metadata.annotations[RESTARTED_AT_ANNOTATION];
  if (keeps.includes('restartedAt') && restartedAt !== undefined) {
    const { metadata } = daemonSet.template;
    const annotations = { ...metadata.annotations, [RESTARTED_AT_ANNOTATION]: restartedAt };
    daemonSet = { ...daemonSet, template: { ...daemonSet.template, metadata: { ...metadata, annotations } } };
  }
  return { daemonSet, switchedAt };
}

function withSwitch(daemonSet: DaemonSet, name: RolloutSwitch, on: boolean, at: string): DaemonSet {
  const command = name === 'paused' ? (on ? 'pause' : 'resume') : on ? 'freeze' : 'unfreeze';
  return applyRolloutCommand(daemonSet, [], { command, at });
}

/**
 * Plans `setRolloutSwitch`: a switch is a fact of its own, ordered by its own time and not by applies. An older
 * or duplicate one changes nothing; a newer one with the value already stored only advances the switch's time.
 *
 * @throws {DaemonSetNotFoundError} no live DaemonSet.
 */
export function planRolloutSwitch(
  key: DaemonSetKey,
  stored: DaemonSetRecord | undefined,
  name: RolloutSwitch,
  on: boolean,
  at: string,
): DaemonSetWrite {
  if (stored?.kind !== 'live') throw new DaemonSetNotFoundError(key);
  const storedAt = stored.switchedAt?.[name];
  const sameContent = stored.daemonSet.rollout[name] === on;
  const decision = planFact(storedAt, at, sameContent);
  const generation = stored.daemonSet.generation;
  if (!decision.write) return { write: 'none', outcome: decision.outcome, generation };
  const switchedAt = { ...stored.switchedAt, [name]: at };
  if (sameContent) return { write: 'touch', switchedAt, outcome: decision.outcome, generation };
  const next = updated(stored.daemonSet, withSwitch(stored.daemonSet, name, on, at), true);
  const record: LiveDaemonSet = { ...stored, daemonSet: next, version: stored.version + 1, switchedAt };
  return { write: 'put', record, outcome: decision.outcome, generation: next.generation };
}

/**
 * Plans `deleteDaemonSet`: marks a live DaemonSet deleted (reconcile then collects its pods and removes
 * it). Deleting what does not exist stores a tombstone, so a late, older apply cannot create it.
 */
export function planDeleteDaemonSet(
  stored: DaemonSetRecord | undefined,
  observedAt: string,
  tombstoneSeconds: number,
): DaemonSetWrite {
  const live = stored?.kind === 'live' ? stored : undefined;
  const alreadyGone = live === undefined || live.daemonSet.deletionTimestamp !== undefined;
  const decision = planFact(stored?.observedAt, observedAt, alreadyGone);
  const generation = live?.daemonSet.generation ?? 0;
  if (!decision.write) return { write: 'none', outcome: decision.outcome, generation };
  const expiresAt = expiresAfter(observedAt, tombstoneSeconds);
  if (stored === undefined) {
    const record = { kind: 'removed', version: 1, observedAt, expiresAt } as const;
    return { write: 'put', record, outcome: decision.outcome, generation };
  }
  if (live === undefined) return { write: 'touch', observedAt, expiresAt, outcome: decision.outcome, generation };
  if (alreadyGone) return { write: 'touch', observedAt, outcome: decision.outcome, generation };
  const record: LiveDaemonSet = {
    ...live,
    daemonSet: { ...live.daemonSet, deletionTimestamp: observedAt },
    version: live.version + 1,
    observedAt,
  };
  return { write: 'put', record, outcome: decision.outcome, generation };
}

/**
 * Plans `updateDaemonSet`: the changed spec with the store's bookkeeping kept, and `placement` read
 * again from a changed template (a rollback changes only the template). Undefined when nothing changed,
 * or when the change is a fact (`observedAt`, normalised) no newer than the stored DaemonSet fact.
 */
export function planUpdateDaemonSet(
  stored: LiveDaemonSet,
  changed: DaemonSet,
  observedAt?: string,
): LiveDaemonSet | undefined {
  if (observedAt !== undefined && stored.observedAt >= observedAt) return undefined;
  const sameTemplate = isSameContent(changed.template, stored.daemonSet.template);
  const next = updated(stored.daemonSet, sameTemplate ? changed : withTemplate(changed, changed.template), true);
  if (isSameContent(next, stored.daemonSet)) return undefined;
  return {
    ...stored,
    daemonSet: next,
    version: stored.version + 1,
    ...(observedAt === undefined ? {} : { observedAt }),
  };
}

function created(input: DaemonSet, observedAt: string): DaemonSet {
  const { deletionTimestamp: _ignored, ...rest } = input;
  return { ...rest, generation: 1, creationTimestamp: input.creationTimestamp ?? observedAt };
}

/** `input` with `current`'s identity and bookkeeping; `keepDeletion` keeps a pending deletion. */
function updated(current: DaemonSet, input: DaemonSet, keepDeletion: boolean): DaemonSet {
  const { deletionTimestamp: _ignored, creationTimestamp: _kept, ...rest } = input;
  return {
    ...rest,
    namespace: current.namespace,
    name: current.name,
    generation: hasSameSpec(current, input) ? current.generation : current.generation + 1,
    ...(current.creationTimestamp === undefined ? {} : { creationTimestamp: current.creationTimestamp }),
    ...(keepDeletion && current.deletionTimestamp !== undefined
      ? { deletionTimestamp: current.deletionTimestamp }
      : {}),
  };
}

/**
 * The DaemonSet with another pod template and the typed `placement` view read from it, so the two never
 * disagree after a rollback or auto-revert (the template comes from a revision, valid when applied).
 *
 * @throws {TerminalError} the template's placement fields do not validate.
 */
export function withTemplate(daemonSet: DaemonSet, template: PodTemplate): DaemonSet {
  const errors: FieldError[] = [];
  const placement = readPlacement(template.spec, 'spec.template.spec', errors);
  if (errors.length > 0) {
    throw new TerminalError(
      `template of ${daemonSet.namespace}/${daemonSet.name} is invalid: ${errors.map((error) => error.field).join(', ')}`,
    );
  }
  const startupCritical = daemonSet.placement.startupCritical === true;
  return { ...daemonSet, template, placement: startupCritical ? { ...placement, startupCritical } : placement };
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
