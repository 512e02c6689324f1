import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Node } from '../../lib/model/node.js';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { type LocalControlPlane, startLocalControlPlane } from '../../local/start-local-control-plane.js';
import { agentManifest, toNodeManifest } from '../dynamo/bench-manifests.js';
import { realisticNodes } from '../placement/realistic-nodes.js';
import { gpuDaemonSets } from '../scale/measure-node-joins.js';
import type { Benchmark, BenchOptions, BenchResult, Progress } from '../shared/bench-result.js';
import { formatCount, formatRatio, formatSeconds, median } from '../shared/stats.js';

/** Issue 11's two aims through the local control plane's HTTP API (what `npm start` runs). */
export const localApiBenchmark: Benchmark = {
  name: 'local-api',
  title: 'Scale through the local control plane: HTTP API, in-process queues, simulated agents, DynamoDB Local',
  run: runLocalApi,
};

const JOINS_PER_SIZE = 3;
const AIM = { joinRatio: 1.5, podsPerSecondRatio: 0.9, podsPerSecond: 300 };
const GPU = 'nvidia.com/gpu.present';

type JoinRun = Readonly<{ nodes: number; desiredMs: number; joinsMs: readonly number[] }>;
type ReadyRun = Readonly<{ nodes: number; pods: number; readyMs: number }>;
type RolloutRun = Readonly<{ nodes: number; rolloutMs: number }>;

/** Issue 11's aim for a 10,000-node rolling update on DynamoDB Local. */
const ROLLOUT_AIM_MS = 60_000;

async function runLocalApi(options: BenchOptions, progress: Progress): Promise<BenchResult> {
  const joinSizes = options.quick ? [100, 300] : [300, 3_000];
  const readySizes = options.quick ? [100, 300] : [300, 2_000];
  const rolloutSizes = options.quick ? [300] : options.large ? [2_000, 10_000] : [2_000];
  progress('local-api: starting DynamoDB Local');
  const dynamo = await startDynamoDbLocal({ inMemory: true });
  let tables = 0;
  const open = async (queues: 'local' | 'stack' = 'local'): Promise<Plane> => {
    tables += 1;
    return Plane.start(dynamo.endpoint, `local-api-${tables}`, queues);
  };
  const joins: JoinRun[] = [];
  const ready: ReadyRun[] = [];
  let stackReady: ReadyRun | undefined;
  const rollouts: RolloutRun[] = [];
  try {
    for (const nodes of joinSizes) joins.push(await measureJoins(await open(), nodes, progress));
    for (const nodes of readySizes) ready.push(await measureApplyToReady(await open(), nodes, progress));
    const largest = readySizes.at(-1) ?? 0;
    stackReady = await measureApplyToReady(await open('stack'), largest, progress, " with the stack's queues");
    for (const nodes of rolloutSizes) rollouts.push(await measureRollout(await open(), nodes, progress));
  } finally {
    await dynamo.stop();
  }
  const [smallJoin, largeJoin] = [joins[0], joins.at(-1)];
  const [smallReady, largeReady] = [ready[0], ready.at(-1)];
  const joinRatio = (largeJoin?.desiredMs ?? Number.NaN) / (smallJoin?.desiredMs ?? Number.NaN);
  const rate = (run: ReadyRun | undefined) => (run === undefined ? Number.NaN : run.pods / (run.readyMs / 1000));
  const rateRatio = rate(largeReady) / rate(smallReady);
  return {
    name: 'local-api',
    title: localApiBenchmark.title,
    tables: [
      {
        title: `One GPU node joins a settled cluster with D = 5 GPU DaemonSets (PUT /v1/nodes/{name} → GET /v1/nodes/{name}/pods lists 5 pods), median of ${JOINS_PER_SIZE}`,
        columns: ['nodes', 'join → all pods desired', 'each join'],
        rows: joins.map((run) => [
          formatCount(run.nodes),
          formatSeconds(run.desiredMs),
          run.joinsMs.map(formatSeconds).join(', '),
        ]),
      },
      {
        title: 'Apply → all pods ready: 3 DaemonSets (one on every node, two on the GPU nodes), agents ready at once',
        columns: ['nodes', 'pods', 'apply → all ready', 'pods per second'],
        rows: ready.map((run) => [
          formatCount(run.nodes),
          formatCount(run.pods),
          formatSeconds(run.readyMs),
          rate(run).toFixed(0),
        ]),
      },
      {
        title:
          "The same apply with the stack's queue semantics (reconcile batches of 5, up to 10 side by side, one DaemonSet's passes racing): what the deployed reconcile function does under this load",
        columns: ['nodes', 'pods', 'apply → all ready', 'pods per second'],
        rows:
          stackReady === undefined
            ? []
            : [
                [
                  formatCount(stackReady.nodes),
                  formatCount(stackReady.pods),
                  formatSeconds(stackReady.readyMs),
                  rate(stackReady).toFixed(0),
                ],
              ],
      },
      {
        title:
          'Rolling update of one DaemonSet on every node (maxUnavailable 10 %, maxSurge 0, agents ready and gone at once): new template applied → every pod replaced and ready',
        columns: ['nodes', 'apply → all replaced and ready', 'pods replaced per second'],
        rows: rollouts.map((run) => [
          formatCount(run.nodes),
          formatSeconds(run.rolloutMs),
          (run.nodes / (run.rolloutMs / 1000)).toFixed(0),
        ]),
      },
    ],
    aims: [
      ...rollouts
        .filter((run) => run.nodes === 10_000)
        .map((run) => ({
          aim: `10,000-node rolling update on DynamoDB Local ≤ ${ROLLOUT_AIM_MS / 1000} s, through the local control plane`,
          measured: formatSeconds(run.rolloutMs),
          met: run.rolloutMs <= ROLLOUT_AIM_MS,
        })),
      {
        aim: `join → all pods desired through the local HTTP API, ${formatCount(largeJoin?.nodes ?? 0)} ÷ ${formatCount(smallJoin?.nodes ?? 0)} nodes ≤ ${AIM.joinRatio}×`,
        measured: formatRatio(joinRatio),
        met: joinRatio <= AIM.joinRatio,
      },
      {
        aim: `apply → all ready, pods per second at ${formatCount(largeReady?.nodes ?? 0)} ÷ at ${formatCount(smallReady?.nodes ?? 0)} nodes ≥ ${AIM.podsPerSecondRatio}`,
        measured: rateRatio.toFixed(2),
        met: rateRatio >= AIM.podsPerSecondRatio,
      },
      {
        aim: `apply → all ready at ${formatCount(largeReady?.nodes ?? 0)} nodes ≥ ${AIM.podsPerSecond} pods per second`,
        measured: `${rate(largeReady).toFixed(0)} pods/s`,
        met: rate(largeReady) >= AIM.podsPerSecond,
      },
    ],
    notes: [
      'startLocalControlPlane as `npm start` runs it (the API handler behind the bearer token on node:http, the ingest and reconcile handlers on in-process queues, the periodic resync every 10 minutes so it stays out of the way, simulated agents with no ready delay), one table per scenario on one DynamoDB Local in memory. Nodes are the seeded realistic fleet (5 % GPU nodes), sent with PUT /v1/nodes/{name}, 16 at a time.',
      "Join: after seeding, every DaemonSet is waited for until all its pods are ready (GET /v1/daemonsets); each join is timed from the PUT until the node agent's own query lists the 5 pods (polled every 10 ms), and the cluster settles again before the next.",
      'Apply → ready: the nodes are stored first (GET /v1/nodes lists them all); the clock starts at the first of the three PUT /v1/daemonsets and stops when every DaemonSet reports numberReady = desiredNumberScheduled = the pods its placement expects (polled every 100 ms).',
      'Rolling update: one DaemonSet on every node, settled with all pods ready; the clock starts at the PUT /v1/daemonsets that changes its image and stops when its status has observed the new generation and reports updatedNumberScheduled = numberReady = desiredNumberScheduled = the node count (polled every 100 ms). The ingest and reconcile workers run side by side, as on the stack (the `rollout` benchmark runs them in turn). With --large, also at 10,000 nodes.',
    ],
    figures: { joins, ready, stackReady, rollouts },
  };
}

async function measureJoins(plane: Plane, nodeCount: number, progress: Progress): Promise<JoinRun> {
  try {
    progress(`local-api: ${formatCount(nodeCount)} nodes, 5 GPU DaemonSets (setting up)`);
    const fleet = realisticNodes(nodeCount + 400);
    const seeded = fleet.slice(0, nodeCount);
    await plane.putNodes(seeded);
    await plane.waitForNodes(nodeCount);
    for (const manifest of gpuDaemonSets()) await plane.put('/v1/daemonsets', manifest);
    const gpuCount = seeded.filter((node) => node.labels[GPU] === 'true').length;
    await plane.waitForReady(5, gpuCount);
    const newcomers = fleet
      .slice(nodeCount)
      .filter((node) => node.labels[GPU] === 'true')
      .slice(0, JOINS_PER_SIZE);
    const joinsMs: number[] = [];
    for (const [index, node] of newcomers.entries()) {
      progress(`local-api: ${formatCount(nodeCount)} nodes: join ${index + 1} of ${newcomers.length}`);
      const start = performance.now();
      await plane.putNodes([node]);
      for (;;) {
        const pods = await plane.get<{ items: unknown[] }>(`/v1/nodes/${node.name}/pods`);
        if (pods.items.length >= 5) break;
        await sleep(10);
      }
      joinsMs.push(performance.now() - start);
      await plane.waitForReady(5, gpuCount + index + 1);
    }
    return { nodes: nodeCount, desiredMs: median(joinsMs), joinsMs };
  } finally {
    await plane.stop();
  }
}

async function measureApplyToReady(plane: Plane, nodeCount: number, progress: Progress, label = ''): Promise<ReadyRun> {
  try {
    progress(`local-api: apply → ready on ${formatCount(nodeCount)} nodes${label} (setting up)`);
    const nodes = realisticNodes(nodeCount);
    await plane.putNodes(nodes);
    await plane.waitForNodes(nodeCount);
    const gpuCount = nodes.filter((node) => node.labels[GPU] === 'true').length;
    const manifests = [
      agentManifest('logs'),
      agentManifest('gpu-monitor', { nodeSelector: { [GPU]: 'true' } }),
      agentManifest('gpu-exporter', { nodeSelector: { [GPU]: 'true' } }),
    ];
    progress(`local-api: apply → ready on ${formatCount(nodeCount)} nodes${label}`);
    const start = performance.now();
    for (const manifest of manifests) await plane.put('/v1/daemonsets', manifest);
    const pods = await plane.waitForReady(3, undefined, (name) => (name === 'logs' ? nodeCount : gpuCount));
    return { nodes: nodeCount, pods, readyMs: performance.now() - start };
  } finally {
    await plane.stop();
  }
}

async function measureRollout(plane: Plane, nodeCount: number, progress: Progress): Promise<RolloutRun> {
  try {
    progress(`local-api: rolling update on ${formatCount(nodeCount)} nodes (setting up)`);
    await plane.putNodes(realisticNodes(nodeCount));
    await plane.waitForNodes(nodeCount);
    await plane.put('/v1/daemonsets', agentManifest('logs'));
    await plane.waitForReady(1, nodeCount);
    progress(`local-api: rolling update on ${formatCount(nodeCount)} nodes`);
    const start = performance.now();
    await plane.put('/v1/daemonsets', agentManifest('logs', { image: 'cr.fluentbit.io/fluent/fluent-bit:3.2.0' }));
    await plane.waitForReady(1, nodeCount, undefined, 2);
    return { nodes: nodeCount, rolloutMs: performance.now() - start };
  } finally {
    await plane.stop();
  }
}

type DaemonSetList = {
  items: {
    metadata: { name: string; generation?: number };
    status?: {
      desiredNumberScheduled: number;
      numberReady: number;
      updatedNumberScheduled: number;
      observedGeneration?: number;
    };
  }[];
};

/** A local control plane on its own table and state directory, and the API calls the benchmark makes. */
class Plane {
  readonly #plane: LocalControlPlane;
  readonly #stateDir: string;

  private constructor(plane: LocalControlPlane, stateDir: string) {
    this.#plane = plane;
    this.#stateDir = stateDir;
  }

  static async start(dynamoEndpoint: string, tableName: string, queues: 'local' | 'stack'): Promise<Plane> {
    const stateDir = await mkdtemp(join(tmpdir(), 'everynode-bench-'));
    const plane = await startLocalControlPlane({
      port: 0,
      stateDir,
      dynamoEndpoint,
      tableName,
      agentReadyDelayMs: 0,
      resyncIntervalMs: 600_000,
      log: () => {},
      queues,
    });
    return new Plane(plane, stateDir);
  }

  async stop(): Promise<void> {
    await this.#plane.stop();
    await rm(this.#stateDir, { recursive: true, force: true });
  }

  async get<T>(path: string): Promise<T> {
    const response = await fetch(`${this.#plane.url}${path}`, { headers: this.#headers() });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async put(path: string, body: unknown): Promise<void> {
    const response = await fetch(`${this.#plane.url}${path}`, {
      method: 'PUT',
      headers: this.#headers(),
      body: JSON.stringify(body),
    });
    if (response.status !== 202) throw new Error(`PUT ${path}: ${response.status} ${await response.text()}`);
  }

  /** Sends the nodes 16 at a time. */
  async putNodes(nodes: readonly Node[]): Promise<void> {
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let node = nodes[next++]; node !== undefined; node = nodes[next++]) {
          await this.put(`/v1/nodes/${node.name}`, toNodeManifest(node));
        }
      }),
    );
  }

  async waitForNodes(count: number): Promise<void> {
    while ((await this.get<{ items: unknown[] }>('/v1/nodes')).items.length < count) await sleep(200);
  }

  /**
   * Waits until `daemonSets` DaemonSets report every pod ready, each with the pods it should have (`expected`,
   * by name, or `each` for all), at generation `generation` or later observed; returns their pods in all.
   */
  async waitForReady(
    daemonSets: number,
    each?: number,
    expected?: (name: string) => number,
    generation = 1,
  ): Promise<number> {
    for (;;) {
      const { items } = await this.get<DaemonSetList>('/v1/daemonsets');
      const done = items.filter(({ metadata, status }) => {
        const want = expected?.(metadata.name) ?? each;
        return (
          status !== undefined &&
          (metadata.generation ?? 1) >= generation &&
          (status.observedGeneration ?? 0) >= (metadata.generation ?? 1) &&
          status.desiredNumberScheduled === want &&
          status.numberReady === want &&
          status.updatedNumberScheduled === want
        );
      });
      if (done.length >= daemonSets) {
        return done.reduce((total, item) => total + (item.status?.desiredNumberScheduled ?? 0), 0);
      }
      await sleep(100);
    }
  }

  #headers(): Record<string, string> {
    return { authorization: `Bearer ${this.#plane.token}`, 'content-type': 'application/json' };
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
