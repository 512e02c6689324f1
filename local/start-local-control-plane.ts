import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDashboardState } from '../dashboard/build-dashboard-state.js';
import { dashboardHtml } from '../dashboard/dashboard-html.js';
import { DashboardService, storeSource } from '../dashboard/dashboard-service.js';
import { makeApiHandler } from '../functions/api-handler.js';
import { seedDemo } from './demo-seed.js';
import { loadOrCreateToken, writeLocalCredentials } from './local-credentials.js';
import { assertLoopback, assertPortFree, startLocalHttpServer } from './local-http-server.js';
import { createLocalObservability } from './local-observability.js';
import { createLocalPipeline, type LocalPipeline } from './local-pipeline.js';
import { NodeAgents } from './node-agents.js';
import { type LocalStore, openLocalStore } from './open-local-store.js';
import { lockStateDir } from './state-dir-lock.js';

/** `.everynode/` at the repository root (git-ignored). */
export const DEFAULT_STATE_DIR = fileURLToPath(new URL('../.everynode', import.meta.url));

export type LocalControlPlaneOptions = Readonly<{
  /** 0 picks a free port. @default 8080 */
  port?: number;
  /** Keep it on loopback: the dashboard is served without the token. @default '127.0.0.1' */
  host?: string;
  /** Token file (`local.json`) and DynamoDB Local's data. @default DEFAULT_STATE_DIR */
  stateDir?: string;
  /** Run DynamoDB Local with `-inMemory` (nothing survives a restart). @default false */
  inMemory?: boolean;
  /** Use a DynamoDB (Local) that is already running instead of starting one. */
  dynamoEndpoint?: string;
  /** @default 'everynode' */
  tableName?: string;
  /** Simulated node agents. @default true */
  agents?: boolean;
  /** @default 500 */
  agentReadyDelayMs?: number;
  /** Container images whose pods crash-loop (Running, never Ready). @default [] */
  failImages?: readonly string[];
  /** Seed three nodes and the fluentd DaemonSet, when the store holds no node and no DaemonSet yet. @default false */
  demo?: boolean;
  /** Delete the stored cluster (`<stateDir>/dynamodb`) before starting. @default false */
  reset?: boolean;
  /** How often every DaemonSet is put on the reconcile queue. @default 30_000 */
  resyncIntervalMs?: number;
  /** The dashboard counts a pod Running but not ready this long after its creation as crash-looping. @default 60_000 */
  crashLoopAfterMs?: number;
  /** Receives each readable log line (`12:00:01 node worker-2 joined`). @default console.log */
  log?: (line: string) => void;
}>;

export type LocalControlPlane = Readonly<{
  /** Base URL of the API and the dashboard. */
  url: string;
  /** The bearer token the API wants (also in `<stateDir>/local.json`). */
  token: string;
  stateDir: string;
  dynamoEndpoint: string;
  /** Whether `demo` seeded the store now (false when it already held nodes or DaemonSets: they are kept). */
  demoSeeded: boolean;
  /** Parked messages of both queues. */
  deadLetters: LocalPipeline['deadLetters'];
  /** Stops everything this call started, DynamoDB Local's JVM included. Safe to call twice. */
  stop(): Promise<void>;
}>;

/**
 * Runs everynode on this machine: DynamoDB Local, the deployed API handler behind a bearer token on
 * node:http, the deployed ingest and reconcile handlers on in-process queues with SQS semantics, the
 * periodic resync, and simulated node agents.
 *
 * @example
 * const plane = await startLocalControlPlane({ port: 0, demo: true, inMemory: true });
 * await fetch(`${plane.url}/v1/nodes`, { headers: { authorization: `Bearer ${plane.token}` } });
 * await plane.stop();
 */
export async function startLocalControlPlane(options: LocalControlPlaneOptions = {}): Promise<LocalControlPlane> {
  const print = options.log ?? ((line: string) => console.log(line));
  const log = (text: string): void => print(formatLogLine(new Date(), text));
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 8080;
  assertLoopback(host);
  await assertPortFree(host, port);
  const stateDir = resolve(options.stateDir ?? DEFAULT_STATE_DIR);
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const lock = await lockStateDir(stateDir);
  // Only once the state directory is ours: never wipe the data of a control plane still running on it.
  if (options.reset === true) await rm(join(stateDir, 'dynamodb'), { recursive: true, force: true });
  const cleanups: (() => Promise<void>)[] = [lock.release];
  const stop = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => log(`stopping: ${describe(error)}`));
    }
  };
  try {
    const store: LocalStore = await openLocalStore({
      stateDir,
      inMemory: options.inMemory ?? false,
      tableName: options.tableName ?? 'everynode',
      log,
      ...(options.dynamoEndpoint === undefined ? {} : { endpoint: options.dynamoEndpoint }),
    });
    cleanups.push(store.close);

    let agents: NodeAgents | undefined;
    const pipeline = createLocalPipeline({ store: store.store, log, afterReconcile: () => agents?.poke() });
    cleanups.push(pipeline.stop);
    if (options.agents ?? true) {
      agents = new NodeAgents({
        store: store.agentStore,
        ingest: pipeline.ingest,
        readyDelayMs: options.agentReadyDelayMs ?? 500,
        failImages: options.failImages ?? [],
        log,
        onError: (error) => log(`node agents: ${describe(error)}`),
      });
      const started = agents;
      cleanups.push(() => started.stop());
    }

    const token = await loadOrCreateToken(stateDir);
    const api = makeApiHandler({
      store: store.store,
      ingest: pipeline.ingest,
      logger: createLocalObservability('api', log).logger,
    });
    const dashboard = new DashboardService({
      load: storeSource(store.store),
      ...(options.crashLoopAfterMs === undefined ? {} : { crashLoopAfterMs: options.crashLoopAfterMs }),
      onError: (error) => log(`dashboard: ${describe(error)}`),
    });
    cleanups.push(async () => dashboard.close());
    const server = await startLocalHttpServer({
      host,
      port,
      token,
      api,
      dashboardHtml,
      dashboardState: () => loadDashboardState(store.store, Date.now()),
      dashboardApi: (route, query, ifNoneMatch) => dashboard.handle(route, query, ifNoneMatch),
      localRoutes: { '/local/dead-letters': () => pipeline.deadLetters() },
      onError: (error) => log(`http: ${describe(error)}`),
    });
    cleanups.push(server.close);
    await writeLocalCredentials(stateDir, { endpoint: server.url, token });

    pipeline.start();
    agents?.start();
    // Ready before the first page: a large fleet's first view and reasons take a moment.
    void dashboard.warm();
    const resync = (): void => {
      pipeline.resync().catch((error: unknown) => log(`resync: ${describe(error)}`));
    };
    resync();
    const timer = setInterval(resync, options.resyncIntervalMs ?? 30_000);
    timer.unref();
    cleanups.push(async () => clearInterval(timer));
    // Seeding a cluster someone changed would undo their changes (the demo's facts are newer).
    const demoSeeded = options.demo === true && (await isEmpty(store.store));
    if (demoSeeded) await seedDemo(pipeline.ingest, new Date().toISOString());

    return {
      url: server.url,
      token,
      stateDir,
      dynamoEndpoint: store.endpoint,
      demoSeeded,
      deadLetters: () => pipeline.deadLetters(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function isEmpty(store: LocalStore['store']): Promise<boolean> {
  const [nodes, daemonSets] = await Promise.all([store.listNodes(), store.listDaemonSets()]);
  return nodes.length === 0 && daemonSets.length === 0;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * One line of the local control plane's output: local wall-clock time, then the event.
 *
 * @example
 * formatLogLine(new Date(2026, 0, 1, 12, 0, 1), 'node worker-2 joined'); // '12:00:01 node worker-2 joined'
 */
function formatLogLine(time: Date, text: string): string {
  const clock = [time.getHours(), time.getMinutes(), time.getSeconds()]
    .map((part) => String(part).padStart(2, '0'))
    .join(':');
  return `${clock} ${text}`;
}
