import { setImmediate } from 'node:timers/promises';
import { LabelSelectorSyntaxError, parseLabelSelector } from '../lib/labels/parse-label-selector.js';
import { toDaemonSetKey } from '../lib/model/daemon-set.js';
import { type Node, nodeReadyStatus } from '../lib/model/node.js';
import type { Pod } from '../lib/model/pod.js';
import type { DaemonSetEvent } from '../lib/model/status.js';
import type { ClusterStore, StoredDaemonSet } from '../lib/ports/cluster-store.js';
import type { DaemonSetPod } from './build-dashboard-state.js';
import { describeFleetNode } from './describe-fleet-node.js';
import { FleetState } from './fleet-state.js';
import { type FleetColumn, type FleetInput, type FleetView, PlacementReasonCache } from './fleet-view.js';
import { groupByKeys, heatMap } from './heat-map.js';
import { isGatedNode, NODE_STATE_SYMBOLS, NODE_STATE_TEXT, NODE_STATES, type NodeState } from './node-state.js';
import { RolloutRecorder } from './rollout-recorder.js';
import { searchNodes } from './search-nodes.js';
import { whyNot } from './why-not.js';

/** A dashboard answer: a status code, a JSON body (a Kubernetes `Status` for errors) and its ETag. */
export type DashboardResponse = Readonly<{ status: number; body?: unknown; etag?: string }>;

export type DashboardSource = () => Promise<
  FleetInput & Readonly<{ events: ReadonlyMap<string, readonly DaemonSetEvent[]> }>
>;

/**
 * Targeted reads, so a change is applied from a few small reads instead of a full one (see
 * `DashboardService.changed`).
 */
export type DashboardParts = Readonly<{
  /** The DaemonSet's record (undefined: gone) and its events. */
  daemonSet: (key: string) => Promise<Readonly<{ stored?: StoredDaemonSet; events: readonly DaemonSetEvent[] }>>;
  /** Every pod of the DaemonSet. */
  pods: (key: string) => Promise<readonly Pod[]>;
  /** The DaemonSet's pods on one node. */
  podsOnNode: (key: string, nodeName: string) => Promise<readonly Pod[]>;
  /** The node (undefined: gone). */
  node: (name: string) => Promise<Node | undefined>;
}>;

/**
 * What changed in the store: a DaemonSet's record (`daemonSet` alone), its pods on a node (`daemonSet` and
 * `nodeName`), or a node's fact (`nodeName` alone).
 */
export type DashboardChange = Readonly<{ daemonSet?: string; nodeName?: string }>;

export type DashboardServiceOptions = Readonly<{
  load: DashboardSource;
  /**
   * With targeted reads, the service applies each change it is told of (`changed`) at once and reads everything
   * only every `resyncMs` while a page is open (to repair what it was not told); without them, every refresh
   * is a full read (compared with the state held, so only what differs is decided again).
   */
  parts?: DashboardParts;
  /** With `parts`: how often a full read repairs the state while pages ask. @default 15_000 */
  resyncMs?: number;
  /** With `parts`: a DaemonSet with more changed nodes than this in one batch is read whole. @default 64 */
  maxCellReads?: number;
  /**
   * With `parts`, while no page asked within `watchMs`: told changes are applied at most this often, in one batch
   * (a pod that changed several times is read once, a DaemonSet with many changed nodes is read whole), so a
   * dashboard nobody looks at costs its control plane little; the rollout charts still get a point per batch. A
   * page asking applies what waits at once. 0 applies every change at once. @default 2_000
   */
  idleFlushMs?: number;
  /** Epoch ms. @default Date.now */
  clock?: () => number;
  /**
   * A view this fresh is served as is; a request finding an older one waits for a reload (one load at a time
   * however many wait), so an answer never predates its request by more than this. @default 2_000
   */
  maxAgeMs?: number;
  /**
   * While a page asked within this long, the service reloads in the background, `refreshGapMs` (or half as long
   * as the last build took, if longer) after each load ends, so a poll finds a fresh view without waiting for
   * one. 0 turns it off. @default 5_000
   */
  watchMs?: number;
  /** @default 100 */
  refreshGapMs?: number;
  /** Background loads that fail are told here (the next request retries). */
  onError?: (error: unknown) => void;
  /** See `FleetViewOptions.crashLoopAfterMs`. @default 60_000 */
  crashLoopAfterMs?: number;
  /** The rollout recorder to carry on with (one restored from a stored history). @default a new one */
  recorder?: RolloutRecorder;
}>;

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
const MAX_EVENTS = 200;

/**
 * The dashboard's server side: loads the cluster at most once per `maxAgeMs` however many pages poll,
 * builds the fleet view, records rollouts, and answers the page's small queries
 * (`/dashboard/summary`, `heatmap`, `why-not`, `nodes`, `nodes/{name}`, `rollouts`, `events`). Every answer
 * carries the ETag of the view it came from; a request whose `If-None-Match` still holds gets 304 and
 * costs nothing to build.
 */
export class DashboardService {
  readonly #options: DashboardServiceOptions;
  readonly #recorder: RolloutRecorder;
  readonly #state: FleetState;
  #view: FleetView | undefined;
  #loading: Promise<FleetView> | undefined;
  /** What changed since each running full read began: the read's older facts about them are not applied. */
  readonly #fresher = new Set<{ daemonSets: Set<string>; nodes: Set<string> }>();
  #pending: DashboardChange[] = [];
  #flushing: Promise<void> | undefined;
  #watchedUntil = 0;
  #lastBuildMs = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** An idle batch of told changes waiting to be applied. */
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(options: DashboardServiceOptions) {
    this.#options = options;
    this.#recorder = options.recorder ?? new RolloutRecorder();
    this.#state = new FleetState({
      reasonCache: new PlacementReasonCache(),
      ...(options.crashLoopAfterMs === undefined ? {} : { crashLoopAfterMs: options.crashLoopAfterMs }),
    });
  }

  /**
   * The current view; keeps the background refresh going while pages ask. Without `parts`, a view older than
   * `maxAgeMs` is reloaded first; with them, the state held is as fresh as the last change told, and is served
   * at once (aged to now).
   */
  async view(): Promise<FleetView> {
    const now = this.#now();
    this.#watch(now);
    // Someone looks: what waits for an idle batch is applied now (this answer is the state held meanwhile).
    if (this.#idleTimer !== undefined) this.#startFlush();
    const view = this.#view;
    if (view !== undefined && this.#options.parts !== undefined) return this.#publish(now);
    if (view !== undefined && now - view.now < (this.#options.maxAgeMs ?? 2_000)) return view;
    return this.#reload();
  }

  /**
   * Tells the service what changed in the store. With `parts`, the changes are read and applied at once (those
   * arriving meanwhile are batched into the next read); without, the next request reloads.
   */
  changed(changes: readonly DashboardChange[]): void {
    if (this.#closed) return;
    if (this.#options.parts === undefined) {
      if (this.#view !== undefined) this.#view = { ...this.#view, now: Number.NEGATIVE_INFINITY };
      return;
    }
    for (const fresher of this.#fresher) {
      for (const { daemonSet, nodeName } of changes) {
        if (daemonSet !== undefined) fresher.daemonSets.add(daemonSet);
        else if (nodeName !== undefined) fresher.nodes.add(nodeName);
      }
    }
    this.#pending.push(...changes);
    if (this.#pending.length === 0 || this.#flushing !== undefined) return;
    const idleMs = this.#options.idleFlushMs ?? 2_000;
    if (idleMs > 0 && this.#watchedUntil <= this.#now()) {
      if (this.#idleTimer === undefined) {
        this.#idleTimer = setTimeout(() => this.#startFlush(), idleMs);
        this.#idleTimer.unref?.();
      }
      return;
    }
    this.#startFlush();
  }

  #startFlush(): void {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    if (this.#closed || this.#pending.length === 0) return;
    this.#flushing ??= this.#flush()
      .catch((error: unknown) => {
        // The changes read are lost with the failed read: a full read brings them (and is retried by the next
        // request if it fails too).
        this.#options.onError?.(error);
        this.#reload().catch((again: unknown) => this.#options.onError?.(again));
      })
      .finally(() => {
        this.#flushing = undefined;
        if (this.#pending.length > 0) this.changed([]);
      });
  }

  /** Resolves once the changes told so far are applied, or the full read repairing a failed read is. */
  async settled(): Promise<void> {
    if (this.#idleTimer !== undefined) this.#startFlush();
    while (this.#flushing !== undefined || this.#loading !== undefined) {
      await this.#flushing;
      await this.#loading?.catch(() => undefined);
    }
  }

  /**
   * Builds a first view and its placement reasons ahead of the first page: the first page is then served at once
   * (with `parts`) or after a full read compared with the state held, and finds the reasons built. Failures are
   * told to `onError`; the first request then loads again.
   */
  async warm(): Promise<void> {
    try {
      const view = await this.#reload();
      for (const column of view.columns) whyNot(view, column);
    } catch (error) {
      this.#options.onError?.(error);
    }
  }

  /** The rollout recorder (its `history()` is what to store across restarts). */
  get recorder(): RolloutRecorder {
    return this.#recorder;
  }

  /**
   * Stops the background refresh and resolves once the reads under way are applied: what the recorder holds then
   * is final (the local control plane stores its history after this).
   */
  async close(): Promise<void> {
    clearTimeout(this.#timer);
    // What was told is applied before the recorder's history is final; nothing after.
    await this.settled();
    this.#closed = true;
    clearTimeout(this.#idleTimer);
  }

  #reload(): Promise<FleetView> {
    this.#loading ??= this.#load().finally(() => {
      this.#loading = undefined;
    });
    return this.#loading;
  }

  #watch(now: number): void {
    const watchMs = this.#options.watchMs ?? 5_000;
    if (watchMs <= 0 || this.#closed) return;
    const idle = this.#watchedUntil <= now;
    this.#watchedUntil = now + watchMs;
    if (idle && this.#timer === undefined) this.#schedule();
  }

  /** The gap is half as long as the last build took (at least refreshGapMs): a large fleet keeps the server at most two-thirds busy. */
  #schedule(): void {
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        if (this.#closed || this.#now() >= this.#watchedUntil) return;
        this.#reload()
          .catch((error: unknown) => this.#options.onError?.(error))
          .finally(() => {
            if (!this.#closed && this.#now() < this.#watchedUntil) this.#schedule();
          });
      },
      this.#options.parts === undefined
        ? Math.max(this.#options.refreshGapMs ?? 100, this.#lastBuildMs)
        : (this.#options.resyncMs ?? 15_000),
    );
    this.#timer.unref?.();
  }

  /** Answers `GET /dashboard/<route>` (the path after `/dashboard/`). */
  async handle(route: string, query: URLSearchParams, ifNoneMatch?: string): Promise<DashboardResponse> {
    const view = await this.view();
    const etag = `"${view.version}.${this.#recorder.revision}"`;
    if (ifNoneMatch?.split(/\s*,\s*/).includes(etag)) return { status: 304, etag };
    try {
      const body = this.#answer(view, route, query);
      return body === undefined
        ? notFound(`the dashboard has no route ${JSON.stringify(route)}`)
        : { status: 200, body, etag };
    } catch (error) {
      if (error instanceof DashboardQueryError) return status(error.code, error.reason, error.message);
      throw error;
    }
  }

  #answer(view: FleetView, route: string, query: URLSearchParams): unknown {
    if (route === 'summary') return summary(view);
    if (route === 'heatmap') {
      const daemonSet = query.get('daemonSet') ?? '';
      const column = daemonSet === '' ? undefined : columnOf(view, daemonSet);
      const groupBy = query.get('groupBy') ?? 'topology.kubernetes.io/zone';
      if (groupBy.length > 317) throw invalid('groupBy', groupBy, 'must be a label key');
      const namesVersion = query.get('names') ?? undefined;
      return heatMap(view, column, { groupBy, ...(namesVersion === undefined ? {} : { namesVersion }) });
    }
    if (route === 'why-not') {
      const daemonSet = query.get('daemonSet') ?? '';
      const columns = daemonSet === '' ? view.columns : [columnOf(view, daemonSet)];
      return { version: view.version, items: columns.map((column) => whyNot(view, column)) };
    }
    if (route === 'nodes') return nodes(view, query);
    if (route.startsWith('nodes/')) {
      const name = decodeURIComponent(route.slice('nodes/'.length));
      const node = describeFleetNode(view, name);
      if (node === undefined) throw new DashboardQueryError(404, 'NotFound', `nodes "${name}" not found`);
      return node;
    }
    if (route === 'rollouts') {
      const column = columnOf(view, required(query, 'daemonSet'));
      return this.#recorder.chart(column.key, view.version);
    }
    if (route === 'events') {
      const limit = integer(query, 'limit', DEFAULT_LIMIT, MAX_EVENTS);
      return { version: view.version, items: this.#recorder.feed(limit) };
    }
    return undefined;
  }

  async #load(): Promise<FleetView> {
    // Changes told from now on are applied by their own (newer) reads: this read leaves them as they are then. The
    // first read holds nothing to leave, and the changes told meanwhile are read after it (`#flush` waits for it):
    // it applies all it read, or the first view would lack what changed meanwhile (a restored rollout chart would
    // see its DaemonSet deleted and created again).
    const fresher = { daemonSets: new Set<string>(), nodes: new Set<string>() };
    if (this.#view !== undefined) this.#fresher.add(fresher);
    try {
      const input = await this.#options.load();
      const started = this.#now();
      const steps = this.#state.resyncSteps(input, started, fresher);
      // Requests and told changes meanwhile are served and applied between steps (each DaemonSet as it was or as
      // read).
      while (steps.next().done !== true) await setImmediate();
      const events = new Map([...input.events].filter(([key]) => !fresher.daemonSets.has(key)));
      const view = this.#publish(started, events);
      this.#lastBuildMs = this.#now() - started;
      return view;
    } finally {
      this.#fresher.delete(fresher);
    }
  }

  /** Reads what the pending changes name and applies it (see `DashboardParts`). */
  async #flush(): Promise<void> {
    const parts = this.#options.parts;
    const changes = this.#pending.splice(0);
    if (parts === undefined || changes.length === 0) return;
    // Nothing held yet: the first full read first (it leaves what these changes name to the reads below).
    if (this.#view === undefined) await this.#reload();
    const records = new Set<string>();
    const cells = new Map<string, Set<string>>();
    const nodeNames = new Set<string>();
    for (const { daemonSet, nodeName } of changes) {
      if (daemonSet === undefined) {
        if (nodeName !== undefined) nodeNames.add(nodeName);
        continue;
      }
      if (nodeName === undefined) {
        records.add(daemonSet);
        continue;
      }
      const onNodes = cells.get(daemonSet) ?? new Set<string>();
      cells.set(daemonSet, onNodes.add(nodeName));
    }
    const maxCellReads = this.#options.maxCellReads ?? 64;
    const events = new Map<string, readonly DaemonSetEvent[]>();
    const [nodes, daemonSets] = await Promise.all([
      Promise.all([...nodeNames].map(async (name) => ({ name, node: await parts.node(name) }))),
      Promise.all(
        [...new Set([...records, ...cells.keys()])].map(async (key) => {
          const { stored, events: each } = await parts.daemonSet(key);
          events.set(key, each);
          const onNodes = cells.get(key) ?? new Set<string>();
          // A DaemonSet not held yet, or with many changed nodes, is read whole.
          const whole = stored !== undefined && (!this.#state.has(key) || onNodes.size > maxCellReads);
          const pods = whole ? await parts.pods(key) : undefined;
          const byNode =
            whole || stored === undefined
              ? []
              : await Promise.all(
                  [...onNodes].map(async (nodeName) => ({ nodeName, pods: await parts.podsOnNode(key, nodeName) })),
                );
          return { key, stored, pods, byNode };
        }),
      ),
    ]);
    const now = this.#now();
    for (const { name, node } of nodes) this.#state.applyNode(name, node, now);
    for (const { key, stored, pods, byNode } of daemonSets) {
      if (stored === undefined) {
        this.#state.removeDaemonSet(key);
        continue;
      }
      if (pods !== undefined) {
        this.#state.applyDaemonSetWithPods(stored, pods, now);
        continue;
      }
      this.#state.applyDaemonSet(stored, now);
      for (const cell of byNode) this.#state.applyPods(key, cell.nodeName, cell.pods, now);
    }
    this.#publish(now, events);
  }

  /** Serves the state at `now` and records what the rollouts show. */
  #publish(now: number, events: ReadonlyMap<string, readonly DaemonSetEvent[]> = new Map()): FleetView {
    const view = this.#state.view(now);
    if (view.version !== this.#view?.version || events.size > 0) this.#recorder.observe(view, events);
    this.#view = view;
    return view;
  }

  #now(): number {
    return (this.#options.clock ?? Date.now)();
  }
}

/** Reads what the dashboard needs from the store: every DaemonSet, node and pod, and each DaemonSet's events. */
export function storeSource(store: ClusterStore): DashboardSource {
  return async () => {
    const [daemonSets, nodes] = await Promise.all([store.listDaemonSets(), store.listNodes()]);
    const perDaemonSet = await Promise.all(
      daemonSets.map(async ({ daemonSet }) => {
        const key = toDaemonSetKey(daemonSet.namespace, daemonSet.name);
        const [pods, events] = await Promise.all([store.listPods(key), store.listEvents(key)]);
        return { key, pods: pods.map((pod): DaemonSetPod => ({ ...pod, daemonSet: key })), events };
      }),
    );
    return {
      daemonSets,
      nodes,
      pods: perDaemonSet.flatMap((each) => each.pods),
      events: new Map(perDaemonSet.map((each) => [each.key, each.events])),
    };
  };
}

function summary(view: FleetView) {
  return {
    version: view.version,
    generatedAt: view.generatedAt,
    nodes: view.nodes.length,
    notReadyNodes: view.nodes.filter((node) => nodeReadyStatus(node) !== 'True').length,
    cordonedNodes: view.nodes.filter((node) => node.unschedulable).length,
    gatedNodes: view.nodes.filter(isGatedNode).length,
    stateNames: NODE_STATES,
    stateSymbols: NODE_STATE_SYMBOLS,
    stateText: NODE_STATE_TEXT,
    groupByKeys: groupByKeys(view),
    daemonSets: view.columns.map((column) => column.summary),
  };
}

function nodes(view: FleetView, query: URLSearchParams) {
  const daemonSet = query.get('daemonSet') ?? '';
  const column = daemonSet === '' ? undefined : columnOf(view, daemonSet);
  const state = query.get('state') ?? undefined;
  if (state !== undefined && !(NODE_STATES as readonly string[]).includes(state)) {
    throw new DashboardQueryError(
      400,
      'BadRequest',
      `state: Unsupported value: ${JSON.stringify(state)}: supported values: ${NODE_STATES.map((each) => `"${each}"`).join(', ')}`,
    );
  }
  const reason = query.get('reason') ?? undefined;
  if ((state !== undefined || reason !== undefined) && column === undefined) {
    throw new DashboardQueryError(
      400,
      'BadRequest',
      'daemonSet: Required value: state and reason are about one DaemonSet',
    );
  }
  const selectorText = query.get('selector') ?? '';
  let selector: ReturnType<typeof parseLabelSelector> | undefined;
  try {
    selector = selectorText.trim() === '' ? undefined : parseLabelSelector(selectorText);
  } catch (error) {
    if (error instanceof LabelSelectorSyntaxError) throw invalid('selector', selectorText, error.reason);
    throw error;
  }
  const name = query.get('name') ?? '';
  return searchNodes(view, {
    ...(name === '' ? {} : { name }),
    ...(selector === undefined ? {} : { selector }),
    ...(column === undefined ? {} : { column }),
    ...(state === undefined ? {} : { state: state as NodeState }),
    ...(reason === undefined ? {} : { reason }),
    limit: integer(query, 'limit', DEFAULT_LIMIT, MAX_LIMIT),
    offset: integer(query, 'continue', 0, Number.MAX_SAFE_INTEGER, 0),
  });
}

function columnOf(view: FleetView, key: string): FleetColumn {
  const column = view.columns.find((each) => each.key === key);
  if (column === undefined) throw new DashboardQueryError(404, 'NotFound', `daemonsets.apps "${key}" not found`);
  return column;
}

function required(query: URLSearchParams, name: string): string {
  const value = query.get(name) ?? '';
  if (value === '') throw new DashboardQueryError(400, 'BadRequest', `${name}: Required value`);
  return value;
}

function integer(query: URLSearchParams, name: string, fallback: number, max: number, min = 1): number {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  const value = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(name, text, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

function invalid(field: string, value: string, why: string): DashboardQueryError {
  return new DashboardQueryError(400, 'BadRequest', `${field}: Invalid value: ${JSON.stringify(value)}: ${why}`);
}

/** A dashboard query the service refuses, with the HTTP code and Kubernetes reason to answer with. */
export class DashboardQueryError extends Error {
  override readonly name = 'DashboardQueryError';
  readonly code: number;
  readonly reason: string;

  constructor(code: number, reason: string, message: string) {
    super(message);
    this.code = code;
    this.reason = reason;
  }
}

function notFound(message: string): DashboardResponse {
  return status(404, 'NotFound', message);
}

function status(code: number, reason: string, message: string): DashboardResponse {
  return {
    status: code,
    body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code },
  };
}

/** Targeted reads of the store for `DashboardService.changed` (a few small reads per change). */
export function storeParts(store: ClusterStore): DashboardParts {
  return {
    daemonSet: async (key) => {
      const [stored, events] = await Promise.all([store.getDaemonSet(key), store.listEvents(key)]);
      return { ...(stored === undefined ? {} : { stored }), events };
    },
    pods: (key) => store.listPods(key),
    podsOnNode: async (key, nodeName) => (await store.loadNodeSnapshot(key, nodeName))?.pods ?? [],
    node: (name) => store.getNode(name),
  };
}
