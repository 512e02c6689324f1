import type { JsonObject } from '../../../lib/model/daemon-set.js';
import { collectionVersion, objectKey } from './kube-meta.js';

/** One listed state of a filtered collection: its members by key. */
export type Snapshot = ReadonlyMap<string, JsonObject>;

/**
 * Object references the history keeps at most, across all snapshots: two states of a 10,000-node list, within
 * the API function's 256 MB (the newest state is always kept).
 */
const MAX_KEPT_OBJECTS = 20_000;

/**
 * Recent states of collections, by filter and collection resourceVersion, so a watch can start from the
 * version a list returned and send exactly what changed since. What is not (or no longer) kept is answered
 * with `410 Gone`, as the API server answers a compacted version; clients then list again. Kept per process:
 * the local control plane keeps it all along, a Lambda container while it is warm.
 */
export class WatchHistory {
  readonly #snapshots = new Map<string, Snapshot>();
  #kept = 0;

  /** Records a state; returns its collection resourceVersion. */
  record(filterKey: string, objects: readonly JsonObject[]): string {
    const version = collectionVersion(objects);
    const key = `${filterKey}@${version}`;
    const known = this.#snapshots.get(key);
    if (known !== undefined) {
      // Listed again: the newest state once more, kept longest (a paged list goes on from it).
      this.#snapshots.delete(key);
      this.#snapshots.set(key, known);
      return version;
    }
    this.#snapshots.set(key, new Map(objects.map((object) => [objectKey(object), object])));
    this.#kept += objects.length;
    this.#evict();
    return version;
  }

  find(filterKey: string, version: string): Snapshot | undefined {
    return this.#snapshots.get(`${filterKey}@${version}`);
  }

  #evict(): void {
    for (const [key, snapshot] of this.#snapshots) {
      if (this.#kept <= MAX_KEPT_OBJECTS || this.#snapshots.size <= 1) return;
      this.#snapshots.delete(key);
      this.#kept -= snapshot.size;
    }
  }
}

export type WatchEvent = Readonly<{ type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: JsonObject }>;

/** What changed from one state to the next: added, modified (resourceVersion differs) and deleted members. */
export function diffSnapshots(before: Snapshot, after: Snapshot): WatchEvent[] {
  const events: WatchEvent[] = [];
  for (const [key, object] of after) {
    const previous = before.get(key);
    if (previous === undefined) events.push({ type: 'ADDED', object });
    else if (version(previous) !== version(object)) events.push({ type: 'MODIFIED', object });
  }
  for (const [key, object] of before) if (!after.has(key)) events.push({ type: 'DELETED', object });
  return events;
}

function version(object: JsonObject): string | undefined {
  return (object['metadata'] as JsonObject | undefined)?.['resourceVersion'] as string | undefined;
}

/** The object of an event stamped with the collection version after it: where a client resumes its watch. */
export function atVersion(event: WatchEvent, resourceVersion: string): WatchEvent {
  const metadata = (event.object['metadata'] ?? {}) as JsonObject;
  return { type: event.type, object: { ...event.object, metadata: { ...metadata, resourceVersion } } };
}
