import { toDaemonSet } from '../../lib/manifest/to-daemon-set.js';
import { DEFAULT_BURST_REPLICAS } from '../../lib/model/daemon-set.js';
import type { Node } from '../../lib/model/node.js';
import { placementAnswers } from '../../lib/placement/placement-answers.js';
import { realisticNodes } from '../placement/realistic-nodes.js';
import type { Benchmark, BenchOptions, BenchResult, Progress } from '../shared/bench-result.js';
import { formatCount, formatSeconds, formatUnits } from '../shared/stats.js';
import { agentManifest, daemonSetApplied, nodeJoined } from './bench-manifests.js';
import type { BenchPipeline, DrainStats } from './bench-pipeline.js';
import { totalsOf } from './capacity-meter.js';
import { cluster, settle } from './cost-scenarios.js';
import { type DynamoHarness, type PipelineOptions, startDynamoHarness } from './dynamo-harness.js';

/** Issue 7.4: convergence through the real handlers on DynamoDB Local. */
export const convergenceBenchmark: Benchmark = {
  name: 'convergence',
  title: 'Convergence through the real handlers on DynamoDB Local',
  run: runConvergence,
};

/** What one rollout wave cost: from the step that deleted its outdated pods to the next wave's (or the goal). */
export type WaveFigures = { wallMs: number; readUnits: number; writeUnits: number };

export type Run = Readonly<{
  name: string;
  nodes: number;
  pods: number;
  waves?: number;
  expectedWaves?: number;
  stats: DrainStats;
  /** Steps refused with a version conflict (records of one batch run concurrently and race). */
  conflicts: number;
  /** Reconcile passes run until the goal, and the no-op passes still queued then (each a full snapshot read). */
  readUnits: number;
  writeUnits: number;
  snapshotReadUnits: number;
  /** Rolling updates: each wave's share of the time and units (the first includes the apply). */
  perWave?: readonly WaveFigures[];
}>;

const BURST_KEYS = ['observability/logs', 'observability/gpu-monitor', 'observability/zone-cache'];
const BURST_DAEMON_SETS = [
  agentManifest('logs'),
  agentManifest('gpu-monitor', { nodeSelector: { 'nvidia.com/gpu.present': 'true' } }),
  agentManifest('zone-cache', { nodeSelector: { 'topology.kubernetes.io/zone': 'eu-west-1a' } }),
];

async function runConvergence(options: BenchOptions, progress: Progress): Promise<BenchResult> {
  const nodeCount = options.quick ? 200 : 1_000;
  progress('convergence: starting DynamoDB Local');
  const harness = await startDynamoHarness();
  const runs: Run[] = [];
  try {
    runs.push(await joinBurst(harness, nodeCount, progress));
    runs.push(await rollingUpdate(harness, nodeCount, progress));
    if (options.large) runs.push(await rollingUpdate(harness, 10_000, progress));
  } finally {
    await harness.stop();
  }
  return {
    name: 'convergence',
    title: convergenceBenchmark.title,
    tables: [
      {
        title:
          'Time to the goal (wall clock on this machine; one batch at a time, the records of a batch concurrently)',
        columns: [
          'scenario',
          'nodes',
          'pods',
          'time',
          'reconcile messages',
          'conflicts',
          'facts ingested',
          'waves',
          'still queued',
          'WCU',
          'RCU',
        ],
        rows: runs.map((run) => [
          run.name,
          formatCount(run.nodes),
          formatCount(run.pods),
          formatSeconds(run.stats.wallMs),
          formatCount(run.stats.reconcileRecords),
          formatCount(run.conflicts),
          formatCount(run.stats.ingestRecords),
          run.waves === undefined ? '–' : String(run.waves),
          formatCount(run.stats.leftInQueues),
          formatUnits(run.writeUnits),
          formatUnits(run.readUnits),
        ]),
      },
    ],
    aims: runs.flatMap((run) =>
      run.expectedWaves === undefined
        ? []
        : [
            {
              aim: `${run.name} on ${formatCount(run.nodes)} nodes: ceil(N / min(maxUnavailable, burstReplicas)) = ${run.expectedWaves} waves`,
              measured: `${run.waves} waves in ${formatSeconds(run.stats.wallMs)}`,
              met: run.waves === run.expectedWaves,
            },
          ],
    ),
    notes: [
      'Join burst: the three DaemonSets exist first (one everywhere, one on GPU nodes, one in one zone); all joins are sent at once, and ingest and reconcile take turns one batch each (10 and 5 records), like two consumers of equal speed. The goal is every desired pod created.',
      'Rolling update: one DaemonSet (maxUnavailable 10%, maxSurge 0) whose pods are all available gets a new image; after every reconcile batch the agents report each new pod Running and Ready and each terminating pod gone, at once. The goal is the last replacement pod created; waves are the written steps that deleted outdated pods (with 10,000 nodes a 1,000-pod budget round takes four 250-pod steps).',
      'Batches are 10 ingest records and 5 reconcile records (the stack\'s sizes); Powertools handles the records of a batch concurrently, so passes over one DaemonSet race: "conflicts" are the steps refused by the version guard (then retried by the handler).',
      'Every agent report and every join enqueues a reconcile message; the records of one batch that name the same DaemonSet share one pass, which reads the whole snapshot. "still queued" are the messages left at the goal, each a further (mostly no-op) pass. RCU and WCU cover the run up to the goal (AWS pricing rules for writes, as in dynamo-cost).',
    ],
    figures: { nodeCount, runs },
  };
}

async function joinBurst(harness: DynamoHarness, nodeCount: number, progress: Progress): Promise<Run> {
  progress(`convergence: join burst of ${formatCount(nodeCount)} nodes (setting up)`);
  const pipeline = await harness.openPipeline(`burst-${nodeCount}`);
  const now = pipeline.clock.now();
  await settle(
    pipeline,
    BURST_DAEMON_SETS.map((manifest) => daemonSetApplied(manifest, now)),
    false,
  );
  const nodes = realisticNodes(nodeCount);
  const pods = expectedPods(nodes);
  harness.meter.take();
  const failedBefore = pipeline.store.failedSteps.length;
  const snapshotsBefore = pipeline.store.snapshotLoads;
  let created = 0;
  pipeline.send(...nodes.map((node) => nodeJoined(node, pipeline.clock.now())));
  const stats = await pipeline.drain({
    agents: false,
    interleave: true,
    until: async () => {
      created = await livePods(pipeline, BURST_KEYS);
      return created >= pods;
    },
    progress: (line) => progress(`convergence: join burst: ${line}, ${created}/${pods} pods`),
  });
  return {
    name: 'join burst, 3 DaemonSets',
    nodes: nodeCount,
    pods,
    stats,
    conflicts: pipeline.store.failedSteps.length - failedBefore,
    ...units(harness, pipeline, snapshotsBefore),
  };
}

export async function rollingUpdate(
  harness: DynamoHarness,
  nodeCount: number,
  progress: Progress,
  options: PipelineOptions = {},
): Promise<Run> {
  progress(`convergence: rolling update on ${formatCount(nodeCount)} nodes (setting up)`);
  const pipeline = await harness.openPipeline(`rollout-${nodeCount}`, options);
  await cluster(pipeline, nodeCount, [agentManifest('logs')]);
  const hashBefore = (await pipeline.store.agentView('observability/logs'))[0]?.revisionHash;
  harness.meter.take();
  const before = pipeline.store.applied.length;
  const failedBefore = pipeline.store.failedSteps.length;
  const snapshotsBefore = pipeline.store.snapshotLoads;
  const image = 'cr.fluentbit.io/fluent/fluent-bit:3.2.0';
  pipeline.send(daemonSetApplied(agentManifest('logs', { image }), pipeline.clock.now()));
  let replaced = 0;
  const perWave: WaveFigures[] = [];
  const waves = new WaveCounter(pipeline, before);
  let counted = harness.meter.peek();
  let since = performance.now();
  const stats = await pipeline.drain({
    agents: true,
    until: async () => {
      const began = performance.now();
      const total = harness.meter.peek();
      const index = Math.max(1, waves.count()) - 1;
      const wave = perWave[index] ?? { wallMs: 0, readUnits: 0, writeUnits: 0 };
      perWave[index] = wave;
      wave.wallMs += began - since;
      wave.readUnits += total.readUnits - counted.readUnits;
      wave.writeUnits += total.writeUnits + total.indexWriteUnits - counted.writeUnits - counted.indexWriteUnits;
      counted = total;
      replaced = await livePods(pipeline, ['observability/logs'], hashBefore);
      since = performance.now();
      return replaced >= nodeCount;
    },
    progress: (line) =>
      progress(`convergence: rolling update on ${formatCount(nodeCount)}: ${line}, ${replaced}/${nodeCount} replaced`),
  });
  return {
    name: 'rolling update, maxUnavailable 10%',
    nodes: nodeCount,
    pods: nodeCount,
    waves: waves.count(),
    perWave,
    // A wave deletes at most maxUnavailable old pods, and a step at most burstReplicas (250) of them.
    expectedWaves: Math.ceil(nodeCount / Math.min(Math.ceil(nodeCount * 0.1), DEFAULT_BURST_REPLICAS)),
    stats,
    conflicts: pipeline.store.failedSteps.length - failedBefore,
    ...units(harness, pipeline, snapshotsBefore),
  };
}

/** Counts, as steps are written, the steps that deleted outdated pods (a rollout's waves). */
class WaveCounter {
  readonly #pipeline: BenchPipeline;
  #seen: number;
  #waves = 0;

  constructor(pipeline: BenchPipeline, from: number) {
    this.#pipeline = pipeline;
    this.#seen = from;
  }

  count(): number {
    const steps = this.#pipeline.store.applied;
    for (; this.#seen < steps.length; this.#seen += 1) {
      const actions = steps[this.#seen]?.actions ?? [];
      if (actions.some((action) => action.kind === 'deletePod' && action.reason === 'outdated')) this.#waves += 1;
    }
    return this.#waves;
  }
}

function units(harness: DynamoHarness, pipeline: BenchPipeline, snapshotsBefore: number) {
  const { usage } = harness.meter.take();
  const total = totalsOf(usage);
  const snapshotReadUnits = [...(usage.get('loadSnapshot')?.values() ?? [])].reduce(
    (sum, line) => sum + line.readUnits,
    0,
  );
  const loads = pipeline.store.snapshotLoads - snapshotsBefore;
  return {
    readUnits: total.readUnits,
    writeUnits: total.writeUnits + total.indexWriteUnits,
    snapshotReadUnits: loads === 0 ? 0 : snapshotReadUnits,
  };
}

/** Pods that exist and are not terminating (with `otherThan`, only those of another revision), read from the store. */
async function livePods(pipeline: BenchPipeline, keys: readonly string[], otherThan?: string): Promise<number> {
  let count = 0;
  for (const key of keys) {
    for (const pod of await pipeline.store.agentView(key)) {
      if (pod.deletionTimestamp === undefined && pod.revisionHash !== otherThan) count += 1;
    }
  }
  return count;
}

/** How many pods the burst DaemonSets want on these nodes, by the placement rules. */
function expectedPods(nodes: readonly Node[]): number {
  let pods = 0;
  for (const manifest of BURST_DAEMON_SETS) {
    const parsed = toDaemonSet(manifest);
    if (!parsed.ok) throw new Error(`benchmark manifest is invalid: ${JSON.stringify(parsed.errors)}`);
    for (const node of nodes) if (placementAnswers(node, parsed.value.placement).shouldRun) pods += 1;
  }
  return pods;
}
