import type { DaemonSetEvent } from '../lib/model/status.js';
import type { DaemonSetSummary, FleetView } from './fleet-view.js';

/** One point of a rollout's chart (epoch ms). A point is kept only when a count or the pause changes. */
export type RolloutSample = Readonly<{
  t: number;
  desired: number;
  updated: number;
  available: number;
  unavailable: number;
  paused: boolean;
}>;

export type RolloutMarker = Readonly<{
  t: number;
  kind: 'paused' | 'resumed' | 'deadline-exceeded' | 'reverted';
  text: string;
}>;

/** A rollout the dashboard watched: its revision, when it began and, once every desired pod was updated and available, when it finished. */
export type RolloutRecord = Readonly<{
  revision: string;
  startedAt: number;
  finishedAt?: number;
  durationMs?: number;
  outcome: 'rolling' | 'complete' | 'superseded';
}>;

export type RolloutChart = Readonly<{
  version: string;
  daemonSet: string;
  revision: string;
  startedAt: number;
  /** `maxUnavailable` scaled against the desired pods now: the most pods the rollout may take down. */
  budget: number;
  /** When the rollout fails `Progressing` unless a pod becomes available first (progressDeadlineSeconds). */
  deadlineAt?: number;
  samples: readonly RolloutSample[];
  markers: readonly RolloutMarker[];
  /** The last rollouts, newest first. */
  history: readonly RolloutRecord[];
}>;

/** A DaemonSet event for the feed: the store's events and what the dashboard saw change. */
export type FeedEvent = DaemonSetEvent & Readonly<{ daemonSet: string }>;

type Watched = {
  summary: DaemonSetSummary;
  rollout: { revision: string; startedAt: number; samples: RolloutSample[]; markers: RolloutMarker[] };
  history: RolloutRecord[];
};

/** What a recorder keeps, as JSON: what `RolloutRecorder.restore` takes back after a restart. */
export type RecordedHistory = Readonly<{
  kind: 'everynode.io/dashboard-history';
  version: 1;
  watched: readonly (readonly [string, Watched])[];
  feed: readonly FeedEvent[];
}>;

const MAX_SAMPLES = 4_000;
const MAX_HISTORY = 10;
const MAX_FEED = 500;

/**
 * Watches the fleet view refresh after refresh and keeps what no single read can tell: each DaemonSet's
 * current rollout over time (updated / available / unavailable, pauses, deadline, revert), the last
 * rollouts with their duration, and feed events for what changed (created, deleting, deleted, paused,
 * resumed, rollout started and complete). It lives as long as the control plane, unless its `history()` is
 * stored and `restore`d (the local control plane keeps it in its state directory). `revision` changes exactly when something it returns changes.
 */
export class RolloutRecorder {
  readonly #watched = new Map<string, Watched>();
  #feed: FeedEvent[] = [];
  #storeEvents = new Map<string, readonly DaemonSetEvent[]>();
  #revision = 0;

  get revision(): number {
    return this.#revision;
  }

  /** What the recorder keeps (samples, markers, last rollouts, its own feed events), to store across restarts. */
  history(): RecordedHistory {
    return {
      kind: 'everynode.io/dashboard-history',
      version: 1,
      watched: [...this.#watched],
      feed: this.#feed,
    };
  }

  /**
   * A recorder carrying on from a stored `history()`: the DaemonSets it watched are compared with the next view as
   * after any refresh (a rollout started meanwhile starts, a DaemonSet gone is told deleted), not seen anew.
   *
   * @throws {RecordedHistoryError} `data` is not a history this version wrote.
   */
  static restore(data: unknown): RolloutRecorder {
    const history = data as Partial<RecordedHistory> | null;
    if (
      typeof history !== 'object' ||
      history === null ||
      history.kind !== 'everynode.io/dashboard-history' ||
      history.version !== 1 ||
      !Array.isArray(history.watched) ||
      !Array.isArray(history.feed) ||
      !history.watched.every(isWatchedEntry) ||
      !history.feed.every(isFeedEvent)
    ) {
      throw new RecordedHistoryError('not a dashboard history of version 1 (kind everynode.io/dashboard-history)');
    }
    const recorder = new RolloutRecorder();
    for (const [key, watched] of history.watched) recorder.#watched.set(key, structuredClone(watched) as Watched);
    recorder.#feed = history.feed.slice(-MAX_FEED);
    return recorder;
  }

  /** Records one refresh: the view, and each DaemonSet's stored events (`listEvents`). */
  observe(view: FleetView, storeEvents: ReadonlyMap<string, readonly DaemonSetEvent[]>): void {
    const now = view.now;
    const seen = new Set<string>();
    for (const column of view.columns) {
      const summary = column.summary;
      seen.add(summary.key);
      const before = this.#watched.get(summary.key);
      if (before === undefined) {
        this.#start(summary, now, column.stored.daemonSet.creationTimestamp);
        continue;
      }
      this.#update(before, summary, now);
    }
    for (const key of [...this.#watched.keys()]) {
      if (seen.has(key)) continue;
      this.#watched.delete(key);
      this.#emit({ daemonSet: key, type: 'Normal', reason: 'DaemonSetDeleted', message: 'deleted', time: iso(now) });
    }
    for (const [key, events] of storeEvents) {
      const known = this.#storeEvents.get(key) ?? [];
      if (events.length !== known.length || events.at(-1)?.time !== known.at(-1)?.time) {
        this.#storeEvents.set(key, events);
        this.#revision += 1;
        this.#markFromEvents(key, events);
      }
    }
    for (const key of [...this.#storeEvents.keys()]) if (!seen.has(key)) this.#storeEvents.delete(key);
  }

  /** The chart of one DaemonSet's current rollout, or undefined for a DaemonSet never seen. */
  chart(key: string, version: string): RolloutChart | undefined {
    const watched = this.#watched.get(key);
    if (watched === undefined) return undefined;
    const { summary, rollout } = watched;
    const deadlineAt = summary.rollout?.revisionHash === rollout.revision ? summary.rollout.deadlineAt : undefined;
    return {
      version,
      daemonSet: key,
      revision: rollout.revision,
      startedAt: rollout.startedAt,
      budget: summary.maxUnavailable,
      ...(deadlineAt === undefined ? {} : { deadlineAt }),
      samples: rollout.samples,
      markers: rollout.markers,
      history: watched.history.toReversed(),
    };
  }

  /** The newest `limit` feed events, newest first: the store's events and the recorder's own. */
  feed(limit: number): readonly FeedEvent[] {
    const stored = [...this.#storeEvents].flatMap(([daemonSet, events]) =>
      events.map((event): FeedEvent => ({ ...event, daemonSet })),
    );
    return [...stored, ...this.#feed]
      .toSorted((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : a.daemonSet < b.daemonSet ? -1 : 1))
      .slice(0, limit);
  }

  #start(summary: DaemonSetSummary, now: number, creationTimestamp: string | undefined): void {
    const startedAt = summary.rollout?.revisionHash === summary.currentRevision ? summary.rollout.startedAt : now;
    const watched: Watched = {
      summary,
      rollout: { revision: summary.currentRevision, startedAt, samples: [sampleOf(summary, now)], markers: [] },
      history: [{ revision: summary.currentRevision, startedAt, outcome: summary.rolling ? 'rolling' : 'complete' }],
    };
    if (!summary.rolling) watched.history = [];
    this.#watched.set(summary.key, watched);
    const time = creationTimestamp ?? iso(now);
    this.#emit({ daemonSet: summary.key, type: 'Normal', reason: 'DaemonSetCreated', message: 'created', time });
    if (summary.deleting) this.#deleting(summary, now);
  }

  #update(watched: Watched, summary: DaemonSetSummary, now: number): void {
    const before = watched.summary;
    watched.summary = summary;
    if (summary.currentRevision !== watched.rollout.revision) {
      this.#finish(watched, 'superseded', now);
      const startedAt = summary.rollout?.revisionHash === summary.currentRevision ? summary.rollout.startedAt : now;
      watched.rollout = { revision: summary.currentRevision, startedAt, samples: [], markers: [] };
      watched.history.push({ revision: summary.currentRevision, startedAt, outcome: 'rolling' });
      watched.history = watched.history.slice(-MAX_HISTORY);
      this.#emit({
        daemonSet: summary.key,
        type: 'Normal',
        reason: 'RolloutStarted',
        message: `rolling out revision ${summary.currentRevision} to ${summary.desired} node(s)`,
        time: iso(now),
      });
    }
    if (summary.paused !== before.paused) {
      const kind = summary.paused ? 'paused' : 'resumed';
      this.#mark(watched, { t: now, kind, text: `rollout ${kind}` });
      const reason = summary.paused ? 'RolloutPaused' : 'RolloutResumed';
      this.#emit({ daemonSet: summary.key, type: 'Normal', reason, message: `rollout ${kind}`, time: iso(now) });
    }
    if (summary.deleting && !before.deleting) this.#deleting(summary, now);
    const last = watched.rollout.samples.at(-1);
    const sample = sampleOf(summary, now);
    if (last === undefined || !sameCounts(last, sample)) {
      watched.rollout.samples.push(sample);
      if (watched.rollout.samples.length > MAX_SAMPLES) {
        watched.rollout.samples = watched.rollout.samples.filter((_, index) => index % 2 === 0 || index > 100);
      }
      this.#revision += 1;
    }
    const open = watched.history.at(-1);
    if (!summary.rolling && open?.outcome === 'rolling' && open.revision === summary.currentRevision) {
      this.#finish(watched, 'complete', now);
      this.#emit({
        daemonSet: summary.key,
        type: 'Normal',
        reason: 'RolloutComplete',
        message: `revision ${summary.currentRevision} updated and available on ${summary.desired} node(s) in ${formatDuration(now - open.startedAt)}`,
        time: iso(now),
      });
    }
  }

  #finish(watched: Watched, outcome: 'complete' | 'superseded', now: number): void {
    const open = watched.history.at(-1);
    if (open === undefined || open.outcome !== 'rolling') return;
    watched.history[watched.history.length - 1] = {
      ...open,
      finishedAt: now,
      durationMs: now - open.startedAt,
      outcome,
    };
    this.#revision += 1;
  }

  #deleting(summary: DaemonSetSummary, now: number): void {
    this.#emit({
      daemonSet: summary.key,
      type: 'Normal',
      reason: 'DaemonSetDeleting',
      message: 'deleting',
      time: iso(now),
    });
  }

  #markFromEvents(key: string, events: readonly DaemonSetEvent[]): void {
    const watched = this.#watched.get(key);
    if (watched === undefined) return;
    for (const event of events) {
      const kind =
        event.reason === 'ProgressDeadlineExceeded'
          ? 'deadline-exceeded'
          : event.reason === 'RolloutReverted'
            ? 'reverted'
            : undefined;
      const t = Date.parse(event.time);
      if (kind === undefined || t < watched.rollout.startedAt) continue;
      if (watched.rollout.markers.some((marker) => marker.kind === kind && marker.t === t)) continue;
      this.#mark(watched, { t, kind, text: event.message });
    }
  }

  #mark(watched: Watched, marker: RolloutMarker): void {
    watched.rollout.markers.push(marker);
    watched.rollout.markers.sort((a, b) => a.t - b.t);
    this.#revision += 1;
  }

  #emit(event: FeedEvent): void {
    this.#feed.push(event);
    if (this.#feed.length > MAX_FEED) this.#feed = this.#feed.slice(-MAX_FEED);
    this.#revision += 1;
  }
}

function sampleOf(summary: DaemonSetSummary, t: number): RolloutSample {
  return {
    t,
    desired: summary.desired,
    updated: summary.updated,
    available: summary.available,
    unavailable: summary.unavailable,
    paused: summary.paused,
  };
}

function sameCounts(a: RolloutSample, b: RolloutSample): boolean {
  return (
    a.desired === b.desired &&
    a.updated === b.updated &&
    a.available === b.available &&
    a.unavailable === b.unavailable &&
    a.paused === b.paused
  );
}

function iso(time: number): string {
  return new Date(time).toISOString();
}

/** @example formatDuration(83_000) // '1m23s' */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** A stored dashboard history that cannot be read back. */
export class RecordedHistoryError extends Error {
  override readonly name = 'RecordedHistoryError';
}

function isWatchedEntry(entry: unknown): boolean {
  if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') return false;
  const watched = entry[1] as Partial<Watched> | null;
  return (
    typeof watched === 'object' &&
    watched !== null &&
    typeof watched.summary?.key === 'string' &&
    typeof watched.summary.currentRevision === 'string' &&
    typeof watched.rollout?.revision === 'string' &&
    typeof watched.rollout.startedAt === 'number' &&
    Array.isArray(watched.rollout.samples) &&
    Array.isArray(watched.rollout.markers) &&
    Array.isArray(watched.history)
  );
}

function isFeedEvent(event: unknown): boolean {
  const each = event as Partial<FeedEvent> | null;
  return (
    typeof each === 'object' &&
    each !== null &&
    typeof each.daemonSet === 'string' &&
    typeof each.reason === 'string' &&
    typeof each.time === 'string'
  );
}
