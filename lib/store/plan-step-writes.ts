import type { ControllerMemory } from '../model/controller-memory.js';
import type { ControllerRevision, DaemonSet, PodTemplate } from '../model/daemon-set.js';
import type { Action } from '../model/pod.js';
import type { DaemonSetStatus } from '../model/status.js';
import type { ReconcileStep, RevisionChange } from '../ports/reconcile-step.js';
import { planEventRecords } from './plan-event-records.js';
import { isSameContent } from './same-content.js';
import type { DesiredPod, EventRecord, LiveDaemonSet } from './stored-records.js';
import { withTemplate } from './with-template.js';

/** One item a reconcile step writes besides the DaemonSet record, with the condition it is written under. */
export type ItemWrite =
  /** Condition: the revision does not exist. */
  | Readonly<{ kind: 'createRevision'; revision: ControllerRevision }>
  /** Condition: the revision exists. */
  | Readonly<{ kind: 'renumberRevision'; name: string; revision: number }>
  /** Condition: the revision exists. */
  | Readonly<{ kind: 'deleteRevision'; name: string }>
  /** Condition: no pod of that name exists (a terminating one included). */
  | Readonly<{ kind: 'createPod'; pod: DesiredPod }>
  /** Condition: the pod exists. Keeps an earlier `deletionTimestamp`. */
  | Readonly<{ kind: 'markPodDeleted'; podName: string; nodeName: string; deletionTimestamp: string }>
  /** Pod garbage collection (its node is gone). Condition: the pod exists. */
  | Readonly<{ kind: 'removePod'; podName: string; nodeName: string }>
  /** Goes with `removePod`. Unconditional. */
  | Readonly<{ kind: 'removePodStatus'; podName: string; nodeName: string }>;

/** The DaemonSet record's new bookkeeping, written with the step's last chunk. */
export type DaemonSetUpdate = Readonly<{
  status: DaemonSetStatus;
  memory: ControllerMemory;
  /** Present when the step reverts the template (a spec change: generation + 1). */
  daemonSet?: DaemonSet;
}>;

/**
 * Everything a step writes, or undefined when it changes nothing. `events` are written after the last chunk
 * commits, outside its transaction: they are informational, so they never hold up or undo a step.
 */
export type StepWrites = Readonly<{
  items: readonly ItemWrite[];
  update: DaemonSetUpdate;
  events: readonly EventRecord[];
}>;

export type StepContext = Readonly<{
  /** RFC 3339 time stamped on created and deleted pods. */
  now: string;
  /** Stored revisions, for the labels of created pods (may be empty when no pod is created). */
  revisions: readonly ControllerRevision[];
  eventSeconds: number;
}>;

/**
 * Turns a reconcile step into item writes, in the order they are chunked: new revisions first (pods
 * refer to them), then pod actions, then revision renumbering and cleanup; and its events into records
 * (see `planEventRecords`). Returns
 * undefined when the step changes nothing, so a converged DaemonSet costs no write.
 *
 * @throws {Error} the step touches one item twice (DynamoDB refuses that in one transaction).
 */
export function planStepWrites(
  current: LiveDaemonSet,
  step: ReconcileStep,
  context: StepContext,
): StepWrites | undefined {
  const update = toUpdate(current, step);
  const unchanged =
    step.actions.length === 0 &&
    step.revisions.length === 0 &&
    step.events.length === 0 &&
    update.daemonSet === undefined &&
    isSameContent(step.status, current.status) &&
    isSameContent(step.memory, current.memory);
  if (unchanged) return undefined;
  const created = step.revisions.flatMap((change) => (change.kind === 'createRevision' ? [change.revision] : []));
  const templateFor = (hash: string): PodTemplate =>
    [...created, ...context.revisions].find((revision) => revision.hash === hash)?.template ??
    current.daemonSet.template;
  const items: ItemWrite[] = [
    ...created.map((revision) => ({ kind: 'createRevision', revision }) as const),
    ...step.actions.flatMap((action) => toPodWrites(action, context.now, templateFor)),
    ...step.revisions.flatMap(toRevisionWrites),
  ];
  assertDistinct(items);
  const events = planEventRecords(current.version, step.events, context.now, context.eventSeconds);
  return { items, update, events };
}

/** The label pods carry for their revision, as Kubernetes names it. */
export const REVISION_HASH_LABEL = 'controller-revision-hash';

function toUpdate(current: LiveDaemonSet, step: ReconcileStep): DaemonSetUpdate {
  const revert = step.revertTemplate;
  if (revert === undefined) return { status: step.status, memory: step.memory };
  const reverted = withTemplate(current.daemonSet, revert.template);
  const daemonSet = { ...reverted, generation: current.daemonSet.generation + 1 };
  return { status: step.status, memory: step.memory, daemonSet };
}

function toPodWrites(action: Action, now: string, templateFor: (hash: string) => PodTemplate): ItemWrite[] {
  switch (action.kind) {
    case 'createPod': {
      const labels = {
        ...templateFor(action.revisionHash).metadata.labels,
        [REVISION_HASH_LABEL]: action.revisionHash,
      };
      const pod = { name: action.podName, nodeName: action.nodeName, revisionHash: action.revisionHash, labels };
      return [{ kind: 'createPod', pod: { ...pod, creationTimestamp: now } }];
    }
    case 'deletePod':
      if (action.reason === 'orphaned') {
        return [
          { kind: 'removePod', podName: action.podName, nodeName: action.nodeName },
          { kind: 'removePodStatus', podName: action.podName, nodeName: action.nodeName },
        ];
      }
      return [{ kind: 'markPodDeleted', podName: action.podName, nodeName: action.nodeName, deletionTimestamp: now }];
  }
}

function toRevisionWrites(change: RevisionChange): ItemWrite[] {
  switch (change.kind) {
    case 'createRevision':
      return []; // written first, see planStepWrites
    case 'renumberRevision':
      return [{ kind: 'renumberRevision', name: change.name, revision: change.revision }];
    case 'deleteRevision':
      return [{ kind: 'deleteRevision', name: change.name }];
  }
}

/** The item a write touches, as `kind#name`; used to refuse steps that touch one item twice. */
export function itemOf(write: ItemWrite): string {
  switch (write.kind) {
    case 'createRevision':
      return `revision#${write.revision.name}`;
    case 'renumberRevision':
    case 'deleteRevision':
      return `revision#${write.name}`;
    case 'createPod':
      return `pod#${write.pod.name}`;
    case 'markPodDeleted':
    case 'removePod':
      return `pod#${write.podName}`;
    case 'removePodStatus':
      return `status#${write.podName}`;
  }
}

function assertDistinct(items: readonly ItemWrite[]): void {
  const seen = new Set<string>();
  for (const item of items) {
    const id = itemOf(item);
    if (seen.has(id)) throw new Error(`a reconcile step may touch each item once, but touches ${id} twice`);
    seen.add(id);
  }
}

/**
 * Whether a step leaves a deleted DaemonSet with nothing more to do, so that once it has no pods left
 * the store removes it (with its revisions and statuses) and keeps a tombstone.
 */
export function isRemovalStep(current: LiveDaemonSet, step: ReconcileStep): boolean {
  return (
    current.daemonSet.deletionTimestamp !== undefined &&
    step.actions.length === 0 &&
    step.revisions.length === 0 &&
    step.revertTemplate === undefined
  );
}
