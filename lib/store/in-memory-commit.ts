import type { DaemonSetKey } from '../model/daemon-set.js';
import { VersionConflictError } from '../ports/errors.js';
import { groupOf, type InMemoryTables } from './in-memory-state.js';
import type { Chunk } from './plan-chunks.js';
import { type ItemWrite, itemOf } from './plan-step-writes.js';
import { MAX_EVENTS_PER_DAEMON_SET } from './store-options.js';
import type { EventRecord, LiveDaemonSet } from './stored-records.js';

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
  events.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  tables.events.set(key, events.slice(-MAX_EVENTS_PER_DAEMON_SET));
}
