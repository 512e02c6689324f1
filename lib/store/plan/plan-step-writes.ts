import type { ControllerMemory } from '../../model/controller-memory.js';
import type { ControllerRevision, DaemonSet, PodTemplate } from '../../model/daemon-set.js';
import type { Action } from '../../model/pod.js';
import type { DaemonSetEvent, DaemonSetStatus } from '../../model/status.js';
import type { ReconcileStep, RevisionChange } from '../../ports/reconcile-step.js';
import { expiresAfter, isSameContent, withTemplate } from './plan-fact.js';
import type { DesiredPod, EventRecord, LiveDaemonSet, RemovedDaemonSet } from './stored-records.js';

// What a reconcile step writes, decided before any write: its item writes, the chunks they commit in (the claim
// protocol), its event records, and the removal of a deleted DaemonSet once nothing is left.

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
    ...step.actions.flatMap((action) =>
      toPodWrites(action, context.now, templateFor, current.daemonSet.placement.startupCritical === true),
    ),
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

function toPodWrites(
  action: Action,
  now: string,
  templateFor: (hash: string) => PodTemplate,
  startupCritical: boolean,
): ItemWrite[] {
  switch (action.kind) {
    case 'createPod': {
      const labels = {
        ...templateFor(action.revisionHash).metadata.labels,
        [REVISION_HASH_LABEL]: action.revisionHash,
      };
      const pod = { name: action.podName, nodeName: action.nodeName, revisionHash: action.revisionHash, labels };
      // The startup toleration is fixed at creation, as Kubernetes' default tolerations are (NewPod).
      const critical = startupCritical ? { startupCritical: true as const } : {};
      return [{ kind: 'createPod', pod: { ...pod, creationTimestamp: now, ...critical } }];
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

/**
 * Plans the removal of a deleted DaemonSet whose pods are all gone: the version that claims it (v+1) while
 * its other records go, and the tombstone (v+2) that keeps refusing older applies until it expires.
 */
export function planRemoval(
  current: LiveDaemonSet,
  tombstoneSeconds: number,
): Readonly<{ claimedVersion: number; tombstone: RemovedDaemonSet }> {
  const claimedVersion = current.version + 1;
  const expiresAt = expiresAfter(current.observedAt, tombstoneSeconds);
  return {
    claimedVersion,
    tombstone: { kind: 'removed', version: claimedVersion + 1, observedAt: current.observedAt, expiresAt },
  };
}

/**
 * Items per transaction besides the DaemonSet's state item and the chunk's step log (DynamoDB allows 100 per
 * TransactWriteItems). A step that reverts the template also rewrites the spec item, so its chunks take one
 * item fewer.
 */
export const ITEMS_PER_CHUNK = 98;

/** DynamoDB's limit on one item: 400 KB, attribute names included. */
export const MAX_ITEM_BYTES = 400 * 1024;

/** DynamoDB's limit on the items of one TransactWriteItems: 4 MB. */
export const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

/**
 * Item bytes per chunk: the transaction's limit less room for the DaemonSet's state and spec items, which
 * a chunk may also write (each within `MAX_ITEM_BYTES`), and a margin for keys and conditions.
 */
export const BYTES_PER_CHUNK = MAX_TRANSACTION_BYTES - 2 * MAX_ITEM_BYTES - 64 * 1024;

/**
 * Bytes an item write may add besides its JSON: the keys, index keys and write stamp of its item (512), and its
 * line in the chunk's step log (a sort key: at most about 520 bytes of DNS names).
 */
const ITEM_OVERHEAD_BYTES = 1024;

/**
 * An upper bound on the bytes an item write puts in a transaction: its JSON (longer than DynamoDB's count of
 * the same values) plus `ITEM_OVERHEAD_BYTES`. A created pod carries its template's labels, so a template
 * with large labels makes every pod item large.
 */
export function itemWriteBytes(write: ItemWrite): number {
  return Buffer.byteLength(JSON.stringify(write), 'utf8') + ITEM_OVERHEAD_BYTES;
}

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
  const parts = splitItems(writes.items, ITEMS_PER_CHUNK - (writes.update.daemonSet === undefined ? 0 : 1));
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

/** Splits items, in order, into parts of at most `maxItems` items and `BYTES_PER_CHUNK` bytes each. */
function splitItems(items: readonly ItemWrite[], maxItems: number): ItemWrite[][] {
  const parts: ItemWrite[][] = [];
  let current: ItemWrite[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = itemWriteBytes(item);
    if (current.length > 0 && (current.length >= maxItems || bytes + size > BYTES_PER_CHUNK)) {
      parts.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

/**
 * The most event text (JSON characters) one record holds. Far below DynamoDB's 400 KB item limit, so an
 * unusually large step (a raised `burstReplicas`, long messages) splits into several records instead of
 * failing; a 250-pod step of `SuccessfulCreate` events is about 40 KB, one record.
 */
export const MAX_EVENT_RECORD_CHARS = 64_000;

/**
 * Groups a step's events into records written after the step commits: one record per step unless its
 * events exceed `MAX_EVENT_RECORD_CHARS`. Sort keys are `<first event time>#<version read>#<part>`, unique
 * per step (each step moves the version) and ordered as the events were. Returns [] for no events.
 *
 * @example
 * planEventRecords(7, [created, created], '2026-01-01T00:00:00.000Z', 86_400);
 * // [{ sortKey: '2026-01-01T00:00:00.000Z#000000000007#0000', events: [created, created], expiresAt: … }]
 */
export function planEventRecords(
  version: number,
  events: readonly DaemonSetEvent[],
  now: string,
  eventSeconds: number,
): readonly EventRecord[] {
  const parts: DaemonSetEvent[][] = [];
  let size = 0;
  for (const event of events) {
    const eventSize = JSON.stringify(event).length + 1;
    const current = parts.at(-1);
    if (current === undefined || size + eventSize > MAX_EVENT_RECORD_CHARS) {
      parts.push([event]);
      size = eventSize;
    } else {
      current.push(event);
      size += eventSize;
    }
  }
  return parts.map((part, index) => {
    const time = validTime(part[0]?.time ?? now, now);
    return {
      sortKey: `${time}#${pad(version, 12)}#${pad(index, 4)}`,
      events: part,
      expiresAt: expiresAfter(time, eventSeconds),
    };
  });
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

const validTime = (time: string, fallback: string): string => (Number.isNaN(Date.parse(time)) ? fallback : time);
