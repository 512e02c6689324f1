import type { ControllerRevision, DaemonSetKey } from '../model/daemon-set.js';
import type { Rejection } from '../model/status.js';
import type {
  DaemonSetRecord,
  DesiredPod,
  EventRecord,
  NodeRecord,
  PodStatusRecord,
  SingleEventRecord,
} from './stored-records.js';

/**
 * Everything an `InMemoryClusterStore` holds, as plain JSON-able data: the offline CLI saves it between
 * runs and passes it back in. Records are as `stored-records.ts` defines them.
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
