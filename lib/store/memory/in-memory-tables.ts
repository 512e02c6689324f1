import { type ControllerRevision, type DaemonSetKey, fromDaemonSetKey } from '../../model/daemon-set.js';
import { compareStrings } from '../../model/order.js';
import type { Pod } from '../../model/pod.js';
import type { NodeEvent, Rejection } from '../../model/status.js';
import { VersionConflictError } from '../../ports/errors.js';
import { type Chunk, type ItemWrite, itemOf } from '../plan/plan-step-writes.js';
import { MAX_EVENTS_PER_DAEMON_SET } from '../plan/store-options.js';
import {
  type DaemonSetRecord,
  type DesiredPod,
  type EventRecord,
  type LiveDaemonSet,
  mergePod,
  type NodeRecord,
  type PodStatusRecord,
  type SingleEventRecord,
} from '../plan/stored-records.js';

// The maps behind the in-memory store: to and from saved state, the reads that merge desired pods with their
// statuses, and the commit of a step's chunks and events under the DynamoDB adapter's conditions.

/**
 * Everything an `InMemoryClusterStore` holds, as plain JSON-able data: the offline CLI saves it between
 * runs and passes it back in. Records are as `plan/stored-records.ts` defines them.
 */
export type InMemoryStoreState = Readonly<{
  daemonSets: Readonly<Record<DaemonSetKey, DaemonSetRecord>>;
  revisions: Readonly<Record<DaemonSetKey, Readonly<Record<string, ControllerRevision>>>>;
  pods: Readonly<Record<DaemonSetKey, Readonly<Record<string, DesiredPod>>>>;
  podStatuses: Readonly<Record<DaemonSetKey, Readonly<Record<string, PodStatusRecord>>>>;
  nodes: Readonly<Record<string, NodeRecord>>;
  /** Event records; state saved before events were grouped per step holds `SingleEventRecord`s. */
  events: Readonly<Record<DaemonSetKey, readonly (EventRecord | SingleEventRecord)[]>>;
  rejections: Readonly<Record<string, Rejection>>;
  /** Events about nodes by `<node>#<time>#<reason>` (absent from state saved before there were any). */
  nodeEvents?: Readonly<Record<string, NodeEvent>>;
}>;

/** The live maps behind an `InMemoryClusterStore`. */
export type InMemoryTables = {
  daemonSets: Map<DaemonSetKey, DaemonSetRecord>;
  revisions: Map<DaemonSetKey, Map<string, ControllerRevision>>;
  pods: Map<DaemonSetKey, Map<string, DesiredPod>>;
  podStatuses: Map<DaemonSetKey, Map<string, PodStatusRecord>>;
  nodes: Map<string, NodeRecord>;
  events: Map<DaemonSetKey, EventRecord[]>;
  rejections: Map<string, Rejection>;
  nodeEvents: Map<string, NodeEvent>;
};

/** Builds the maps from saved state (deep-copied, so the caller's object stays theirs). */
export function toTables(state?: InMemoryStoreState): InMemoryTables {
  const copy = structuredClone(state);
  const nested = <T>(groups: Readonly<Record<string, Readonly<Record<string, T>>>> | undefined) =>
    new Map(Object.entries(groups ?? {}).map(([key, group]) => [key, new Map(Object.entries(group))]));
  return {
    daemonSets: new Map(Object.entries(copy?.daemonSets ?? {})),
    revisions: nested(copy?.revisions),
    pods: nested(copy?.pods),
    podStatuses: nested(copy?.podStatuses),
    nodes: new Map(Object.entries(copy?.nodes ?? {})),
    events: new Map(Object.entries(copy?.events ?? {}).map(([key, events]) => [key, events.map(toEventRecord)])),
    rejections: new Map(Object.entries(copy?.rejections ?? {})),
    nodeEvents: new Map(Object.entries(copy?.nodeEvents ?? {})),
  };
}

/** A deep copy of the maps as plain data. */
export function toState(tables: InMemoryTables): InMemoryStoreState {
  const nested = <T>(groups: Map<string, Map<string, T>>) =>
    Object.fromEntries([...groups].map(([key, group]) => [key, Object.fromEntries(group)]));
  return structuredClone({
    daemonSets: Object.fromEntries(tables.daemonSets),
    revisions: nested(tables.revisions),
    pods: nested(tables.pods),
    podStatuses: nested(tables.podStatuses),
    nodes: Object.fromEntries(tables.nodes),
    events: Object.fromEntries(tables.events),
    rejections: Object.fromEntries(tables.rejections),
    ...(tables.nodeEvents.size === 0 ? {} : { nodeEvents: Object.fromEntries(tables.nodeEvents) }),
  });
}

/** The group for `key` in a nested map, created empty on first use. */
export function groupOf<T>(groups: Map<string, Map<string, T>>, key: string): Map<string, T> {
  let group = groups.get(key);
  if (group === undefined) {
    group = new Map();
    groups.set(key, group);
  }
  return group;
}

function toEventRecord(record: EventRecord | SingleEventRecord): EventRecord {
  if ('events' in record) return record;
  const { event, ...rest } = record;
  return { ...rest, events: [event] };
}

/** One DaemonSet's pods merged with their statuses, by name (not copied: callers copy). */
export function podsOf(tables: InMemoryTables, key: DaemonSetKey): Pod[] {
  const { namespace } = fromDaemonSetKey(key);
  const statuses = groupOf(tables.podStatuses, key);
  return [...groupOf(tables.pods, key).values()]
    .sort((a, b) => compareStrings(a.name, b.name))
    .map((pod) => mergePod(namespace, pod, statuses.get(pod.name)));
}

/**
 * The pods desired on one node across DaemonSets. A status counts only if its agent reported it from this
 * node, as DynamoDB's byNode index finds it (not copied: callers copy).
 */
export function podsOnNode(tables: InMemoryTables, nodeName: string): (Pod & { daemonSet: DaemonSetKey })[] {
  return [...tables.pods.keys()].sort().flatMap((key) => {
    const statuses = groupOf(tables.podStatuses, key);
    const { namespace } = fromDaemonSetKey(key);
    return [...groupOf(tables.pods, key).values()]
      .filter((pod) => pod.nodeName === nodeName)
      .sort((a, b) => compareStrings(a.name, b.name))
      .map((pod) => {
        const status = statuses.get(pod.name);
        return { ...mergePod(namespace, pod, status?.nodeName === nodeName ? status : undefined), daemonSet: key };
      });
  });
}

/**
 * Applies one chunk of a step to the maps atomically, under the same conditions the DynamoDB adapter
 * puts on its transaction: all items are checked first and nothing is written if one fails.
 *
 * @throws {VersionConflictError} the DaemonSet is not at the guard's version, or an item condition fails.
 */
export function commitChunk(tables: InMemoryTables, key: DaemonSetKey, chunk: Chunk): void {
  const current = tables.daemonSets.get(key);
  if (current?.kind !== 'live' || current.version !== chunk.guard.expectedVersion) {
    throw new VersionConflictError(key, { cause: new Error('the daemon set is not at the expected version') });
  }
  const failed = chunk.items.find((item) => !holds(tables, key, item));
  if (failed !== undefined) {
    throw new VersionConflictError(key, { cause: new Error(`condition failed on ${itemOf(failed)}`) });
  }
  for (const item of chunk.items) write(tables, key, item);
  const { update, nextVersion } = chunk.guard;
  const next: LiveDaemonSet = {
    ...current,
    version: nextVersion,
    ...(update === undefined ? {} : { status: update.status, memory: update.memory }),
    ...(update?.daemonSet === undefined ? {} : { daemonSet: update.daemonSet }),
  };
  tables.daemonSets.set(key, structuredClone(next));
}

function holds(tables: InMemoryTables, key: DaemonSetKey, item: ItemWrite): boolean {
  switch (item.kind) {
    case 'createRevision':
      return !groupOf(tables.revisions, key).has(item.revision.name);
    case 'renumberRevision':
    case 'deleteRevision':
      return groupOf(tables.revisions, key).has(item.name);
    case 'createPod':
      return !groupOf(tables.pods, key).has(item.pod.name);
    case 'markPodDeleted':
    case 'removePod':
      return groupOf(tables.pods, key).has(item.podName);
    case 'removePodStatus':
      return true;
  }
}

function write(tables: InMemoryTables, key: DaemonSetKey, item: ItemWrite): void {
  const revisions = groupOf(tables.revisions, key);
  const pods = groupOf(tables.pods, key);
  switch (item.kind) {
    case 'createRevision':
      revisions.set(item.revision.name, structuredClone(item.revision));
      return;
    case 'renumberRevision': {
      const revision = revisions.get(item.name);
      if (revision !== undefined) revisions.set(item.name, { ...revision, revision: item.revision });
      return;
    }
    case 'deleteRevision':
      revisions.delete(item.name);
      return;
    case 'createPod':
      pods.set(item.pod.name, structuredClone(item.pod));
      return;
    case 'markPodDeleted': {
      const pod = pods.get(item.podName);
      if (pod !== undefined && pod.deletionTimestamp === undefined) {
        pods.set(item.podName, { ...pod, deletionTimestamp: item.deletionTimestamp });
      }
      return;
    }
    case 'removePod':
      pods.delete(item.podName);
      return;
    case 'removePodStatus':
      groupOf(tables.podStatuses, key).delete(item.podName);
      return;
  }
}

/**
 * Stores a committed step's event records, keeping the newest `MAX_EVENTS_PER_DAEMON_SET` records as
 * DynamoDB's `listEvents` reads one page of that many items.
 */
export function commitEvents(tables: InMemoryTables, key: DaemonSetKey, records: readonly EventRecord[]): void {
  if (records.length === 0) return;
  const events = [...(tables.events.get(key) ?? []), ...structuredClone(records)];
  events.sort((a, b) => compareStrings(a.sortKey, b.sortKey));
  tables.events.set(key, events.slice(-MAX_EVENTS_PER_DAEMON_SET));
}
