import { setTimeout as sleep } from 'node:timers/promises';
import type { JsonObject } from '../../../lib/model/daemon-set.js';
import { ApiError } from '../responses.js';
import { objectKey } from './kube-meta.js';
import { groupVersion, type KubeResource } from './kube-resources.js';
import { atVersion, diffSnapshots, type Snapshot, type WatchEvent, WatchHistory } from './watch-history.js';

/** How often a watch reads the store for changes: each status change reaches the client within this. */
export const WATCH_POLL_MS = 250;

/** A collection larger than this (a fleet's nodes or pods) is read once a second instead, to bound the reads. */
export const LARGE_COLLECTION = 1_000;
const LARGE_COLLECTION_POLL_MS = 1_000;

/** The states lists and watches returned, shared by every request this process serves. */
export const WATCH_HISTORY = new WatchHistory();

export type WatchOptions = Readonly<{
  resource: KubeResource;
  /** Identifies the filter (namespace, selectors) the versions are of. */
  filterKey: string;
  /** The filtered members of the collection now. */
  load: () => Promise<JsonObject[]>;
  /** `resourceVersion`: empty or `0` starts with the current state as ADDED events. */
  fromVersion: string;
  /** Epoch ms when the watch ends (with a bookmark when asked for). */
  until: number;
  bookmarks: boolean;
  /** End after the first batch of events (a long poll, for a handler that cannot stream). */
  stopAfterFirstBatch: boolean;
  signal?: AbortSignal;
  pollMs?: number;
}>;

const toSnapshot = (objects: readonly JsonObject[]): Snapshot =>
  new Map(objects.map((object) => [objectKey(object), object]));

/**
 * A watch as the API server runs one: from `resourceVersion` (a version a list or an earlier event returned)
 * every change to the filtered collection as ADDED, MODIFIED and DELETED events, each object stamped with the
 * collection's version after it; a version no longer known is refused with `410 Gone` (reason `Expired`), as
 * for a compacted version, so informers list again. Changes are found by reading the store every `pollMs`.
 *
 * @throws ApiError 410 when `fromVersion` is not known (before any event).
 */
export async function startWatch(options: WatchOptions): Promise<AsyncGenerator<WatchEvent>> {
  const pollMs = options.pollMs ?? WATCH_POLL_MS;
  let current = await options.load();
  let version = WATCH_HISTORY.record(options.filterKey, current);
  let baseline: Snapshot = new Map();
  if (options.fromVersion !== '' && options.fromVersion !== '0') {
    const known = WATCH_HISTORY.find(options.filterKey, options.fromVersion);
    if (known === undefined) {
      throw new ApiError(410, 'Expired', `too old resource version: ${options.fromVersion} (${version})`);
    }
    baseline = known;
  }
  return (async function* () {
    for (;;) {
      const next = toSnapshot(current);
      const events = diffSnapshots(baseline, next);
      baseline = next;
      for (const event of events) yield atVersion(event, version);
      if (events.length > 0 && options.stopAfterFirstBatch) break;
      const interval = current.length > LARGE_COLLECTION ? Math.max(pollMs, LARGE_COLLECTION_POLL_MS) : pollMs;
      if (Date.now() + interval > options.until || options.signal?.aborted === true) break;
      try {
        await sleep(interval, undefined, options.signal === undefined ? {} : { signal: options.signal });
      } catch {
        return;
      }
      current = await options.load();
      version = WATCH_HISTORY.record(options.filterKey, current);
    }
    if (options.bookmarks) yield bookmark(options.resource, version);
  })();
}

/** A BOOKMARK: nothing changed up to `resourceVersion`, resume from there. */
function bookmark(resource: KubeResource, resourceVersion: string): WatchEvent {
  return {
    type: 'BOOKMARK',
    object: { kind: resource.kind, apiVersion: groupVersion(resource), metadata: { resourceVersion } },
  };
}
