import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDashboardState } from '../dashboard/build-dashboard-state.js';
import { dashboardHtml } from '../dashboard/dashboard-html.js';
import { DashboardService, storeParts, storeSource } from '../dashboard/dashboard-service.js';
import { RolloutRecorder } from '../dashboard/rollout-recorder.js';
import type { ApiDeps } from '../functions/api/api-deps.js';
import { openKubeWatch } from '../functions/api/kube/kube-routes.js';
import { makeApiHandler } from '../functions/api-handler.js';
import { checkNodeLiveness } from '../functions/check-node-liveness.js';
import { DEFAULT_NODE_GRACE_PERIOD_MS } from '../lib/reconcile/plan-node-liveness.js';
import { observeStoreChanges } from '../lib/store/observe-store-changes.js';
import { DASHBOARD_HISTORY, openDashboardHistoryFile } from './dashboard-history-file.js';
import { seedDemo } from './demo-seed.js';
import { loadOrCreateToken, writeLocalCredentials } from './local-credentials.js';
import { assertLoopback, assertPortFree, LocalRouteError, startLocalHttpServer } from './local-http-server.js';
import { LocalLifecycleActions } from './local-lifecycle-actions.js';
import { createLocalObservability } from './local-observability.js';
import { createLocalPipeline, type LocalPipeline } from './local-pipeline.js';
import { loadOrCreateTlsIdentity } from './local-tls.js';
import { NodeAgents } from './node-agents.js';
import { NodeChangeFeed } from './node-change-feed.js';
import { answerNodeChanges } from './node-changes-route.js';
import { type LocalStore, openLocalStore } from './open-local-store.js';
import { simulatedLifecycleEvent } from './simulated-lifecycle-event.js';
import { lockStateDir } from './state-dir-lock.js';
import { writeKubeconfig } from './write-kubeconfig.js';

/** `.everynode/` at the repository root (git-ignored). */
export const DEFAULT_STATE_DIR = fileURLToPath(new URL('../.everynode', import.meta.url));

export type LocalControlPlaneOptions = Readonly<{
  /** 0 picks a free port. @default 8080 */
  port?: number;
  /** Port of the TLS endpoint kubectl uses (the same API; 0 picks a free port). @default port + 1, or 0 when port is 0 */
  kubePort?: number;
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
  /**
   * How long a node whose agent sends heartbeats may go without one before it is marked NotReady and
   * tainted `node.kubernetes.io/unreachable` (Kubernetes' node-monitor-grace-period). @default 50_000
   */
  nodeGracePeriodMs?: number;
  /** How often every DaemonSet is put on the reconcile queue. @default 30_000 */
  resyncIntervalMs?: number;
  /** The dashboard counts a pod Running but not ready this long after its creation as crash-looping. @default 60_000 */
  crashLoopAfterMs?: number;
  /** Receives each readable log line (`12:00:01 node worker-2 joined`). @default console.log */
  log?: (line: string) => void;
  /** How the in-process queues deliver reconcile work (`LocalPipelineOptions.queues`). @default 'local' */
  queues?: 'local' | 'stack';
}>;

export type LocalControlPlane = Readonly<{
  /** Base URL of the API and the dashboard. */
  url: string;
  /** The bearer token the API wants (also in `<stateDir>/local.json`). */
  token: string;
  /** `<stateDir>/kubeconfig`: kubectl and client libraries reach the Kubernetes API with it. */
  kubeconfig: string;
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
  if (options.reset === true) {
    await rm(join(stateDir, 'dynamodb'), { recursive: true, force: true });
    await rm(join(stateDir, DASHBOARD_HISTORY), { force: true });
  }
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
    // The dashboard is told of every write the pipeline and the API make, and reads only what each changed.
    let told: DashboardService | undefined;
    // Real node agents wait on their node's token (`/v1/nodes/<name>/pods/changes`): told once a step is stored.
    const nodeChanges = new NodeChangeFeed();
    cleanups.push(async () => nodeChanges.close());
    const observed = observeStoreChanges(store.store, (changes) => {
      told?.changed(changes);
      nodeChanges.podsChanged(
        changes.flatMap((change) => (change.pods === true && change.nodeName !== undefined ? [change.nodeName] : [])),
      );
    });

    let agents: NodeAgents | undefined;
    // Auto Scaling's lifecycle hooks, simulated: completions are recorded and listed at /local/lifecycle-actions.
    const lifecycleActions = new LocalLifecycleActions();
    const pipeline = createLocalPipeline({
      store: observed,
      log,
      afterReconcile: () => agents?.poke(),
      lifecycleActions,
      gateJoins: true,
      heartbeats: store.heartbeats,
      ...(options.queues === undefined ? {} : { queues: options.queues }),
    });
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
    const tls = await loadOrCreateTlsIdentity(stateDir);
    const apiDeps: ApiDeps = {
      store: observed,
      heartbeats: store.heartbeats,
      ingest: pipeline.ingest,
      logger: createLocalObservability('api', log).logger,
    };
    const api = makeApiHandler(apiDeps);
    // The rollout history is kept with the data it describes (`--reset` removes both); not in memory mode.
    const history =
      options.inMemory === true ? undefined : await openDashboardHistoryFile(join(stateDir, DASHBOARD_HISTORY), log);
    if (history !== undefined) cleanups.push(history.stop);
    const dashboard = new DashboardService({
      recorder: history?.recorder ?? new RolloutRecorder(),
      load: storeSource(store.store),
      parts: storeParts(store.store),
      ...(options.crashLoopAfterMs === undefined ? {} : { crashLoopAfterMs: options.crashLoopAfterMs }),
      onError: (error) => log(`dashboard: ${describe(error)}`),
    });
    told = dashboard;
    cleanups.push(() => dashboard.close());
    const server = await startLocalHttpServer({
      host,
      port,
      token,
      api,
      stream: async (event, signal) =>
        (await answerNodeChanges(event, nodeChanges, signal)) ?? openKubeWatch(event, apiDeps, signal),
      dashboardHtml,
      dashboardState: () => loadDashboardState(store.store, Date.now()),
      dashboardApi: (route, query, ifNoneMatch) => dashboard.handle(route, query, ifNoneMatch),
      localRoutes: {
        '/local/dead-letters': () => pipeline.deadLetters(),
        // GET: the calls everynode made; POST: start a simulated lifecycle action (its EventBridge event).
        '/local/lifecycle-actions': ({ method, body }) => {
          if (method === 'POST') {
            const { token, event } = simulatedLifecycleEvent(parseJson(body), new Date());
            pipeline.ingestRaw(JSON.stringify(event));
            return { lifecycleActionToken: token };
          }
          if (method !== 'GET') throw new LocalRouteError(405, 'MethodNotAllowed', 'use GET or POST');
          return { completions: lifecycleActions.completions(), calls: lifecycleActions.calls() };
        },
      },
      onError: (error) => log(`http: ${describe(error)}`),
      tls: { ...tls, port: options.kubePort ?? (port === 0 ? 0 : port + 1) },
    });
    cleanups.push(server.close);
    await writeLocalCredentials(stateDir, { endpoint: server.url, token });
    const kubeconfig = await writeKubeconfig(stateDir, server.tlsUrl ?? server.url, token, tls.cert);

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
    // The node lifecycle controller: nodes whose agents stopped sending heartbeats turn NotReady.
    const gracePeriodMs = options.nodeGracePeriodMs ?? DEFAULT_NODE_GRACE_PERIOD_MS;
    const liveness = (): void => {
      checkNodeLiveness(
        { store: observed, heartbeats: store.heartbeats, ingest: pipeline.ingest, gracePeriodMs },
        Date.now(),
      )
        .then((changes) => {
          for (const { node, change } of changes) {
            log(
              change === 'unreachable'
                ? `node ${node.name} is NotReady: no heartbeat for ${Math.round(gracePeriodMs / 1000)}s (tainted ${'node.kubernetes.io/unreachable'})`
                : `node ${node.name} is Ready again: heartbeats are back`,
            );
          }
        })
        .catch((error: unknown) => log(`node liveness: ${describe(error)}`));
    };
    const livenessTimer = setInterval(liveness, Math.min(5_000, Math.max(250, Math.floor(gracePeriodMs / 5))));
    livenessTimer.unref();
    cleanups.push(async () => clearInterval(livenessTimer));
    // Seeding a cluster someone changed would undo their changes (the demo's facts are newer).
    const demoSeeded = options.demo === true && (await isEmpty(store.store));
    if (demoSeeded) await seedDemo(pipeline.ingest, new Date().toISOString());

    return {
      url: server.url,
      token,
      kubeconfig,
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

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new LocalRouteError(400, 'BadRequest', 'the body is not JSON');
  }
}
