import type { FieldError } from '../../manifest/field-error.js';
import { readPlacement } from '../../manifest/read-placement.js';
import { EMPTY_CONTROLLER_MEMORY } from '../../model/controller-memory.js';
import type { DaemonSet, PodTemplate } from '../../model/daemon-set.js';
import type { FactOutcome } from '../../ports/cluster-store.js';
import { TerminalError } from '../../ports/errors.js';
import { expiresAfter, isSameContent, planFact } from './plan-fact.js';
import type { DaemonSetRecord, LiveDaemonSet } from './stored-records.js';

/**
 * How a DaemonSet write changes the stored record. `touch` only advances the fact time (and a tombstone's
 * expiry) without bumping the version, so a duplicate apply never disturbs a running reconcile.
 */
export type DaemonSetWrite = Readonly<
  (
    | { write: 'none' }
    | { write: 'touch'; observedAt: string; expiresAt?: number }
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
  input: DaemonSet,
  observedAt: string,
): DaemonSetWrite {
  const live = stored?.kind === 'live' ? stored : undefined;
  const next = live === undefined ? created(input, observedAt) : updated(live.daemonSet, input, false);
  const sameContent = live !== undefined && isSameContent(next, live.daemonSet);
  const decision = planFact(stored?.observedAt, observedAt, sameContent);
  const generation = decision.write ? next.generation : (live?.daemonSet.generation ?? 0);
  if (!decision.write) return { write: 'none', outcome: decision.outcome, generation };
  if (sameContent) return { write: 'touch', observedAt, outcome: decision.outcome, generation };
  const record: LiveDaemonSet = {
    kind: 'live',
    daemonSet: next,
    version: (stored?.version ?? 0) + 1,
    observedAt,
    ...(live?.status === undefined ? {} : { status: live.status }),
    memory: live?.memory ?? EMPTY_CONTROLLER_MEMORY,
  };
  return { write: 'put', record, outcome: decision.outcome, generation };
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
  return { ...daemonSet, template, placement };
}
