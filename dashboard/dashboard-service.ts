import { setImmediate } from 'node:timers/promises';
import { LabelSelectorSyntaxError, parseLabelSelector } from '../lib/labels/parse-label-selector.js';
import { toDaemonSetKey } from '../lib/model/daemon-set.js';
import { nodeReadyStatus } from '../lib/model/node.js';
import type { DaemonSetEvent } from '../lib/model/status.js';
import type { ClusterStore } from '../lib/ports/cluster-store.js';
import type { DaemonSetPod } from './build-dashboard-state.js';
import { describeFleetNode } from './describe-fleet-node.js';
import {
  type FleetColumn,
  type FleetInput,
  type FleetView,
  fleetViewSteps,
  PlacementReasonCache,
} from './fleet-view.js';
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

export type DashboardServiceOptions = Readonly<{
  load: DashboardSource;
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
  readonly #recorder = new RolloutRecorder();
  readonly #reasonCache = new PlacementReasonCache();
  #view: FleetView | undefined;
  #loading: Promise<FleetView> | undefined;
  #watchedUntil = 0;
  #lastBuildMs = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(options: DashboardServiceOptions) {
    this.#options = options;
  }

  /** The current view (see `maxAgeMs`); keeps the background refresh going while pages ask. */
  async view(): Promise<FleetView> {
    const now = this.#now();
    this.#watch(now);
    const view = this.#view;
    if (view !== undefined && now - view.now < (this.#options.maxAgeMs ?? 2_000)) return view;
    return this.#reload();
  }

  /**
   * Builds a first view and its placement reasons ahead of the first page: the first page then waits only for
   * a reload, which keeps every column whose DaemonSet, pods and nodes did not change, and finds the reasons
   * built. Failures are told to `onError`; the first request then loads again.
   */
  async warm(): Promise<void> {
    try {
      const view = await this.#reload();
      for (const column of view.columns) whyNot(view, column);
    } catch (error) {
      this.#options.onError?.(error);
    }
  }

  /** Stops the background refresh. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
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
      Math.max(this.#options.refreshGapMs ?? 100, this.#lastBuildMs),
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
    const input = await this.#options.load();
    const started = this.#now();
    const steps = fleetViewSteps(input, started, {
      reasonCache: this.#reasonCache,
      ...(this.#view === undefined ? {} : { previous: this.#view }),
      ...(this.#options.crashLoopAfterMs === undefined ? {} : { crashLoopAfterMs: this.#options.crashLoopAfterMs }),
    });
    let step = steps.next();
    while (step.done !== true) {
      // Requests waiting meanwhile are answered from the previous view.
      await setImmediate();
      step = steps.next();
    }
    const view = step.value;
    this.#lastBuildMs = this.#now() - started;
    this.#recorder.observe(view, input.events);
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
