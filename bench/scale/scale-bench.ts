import { WRITE_LAG_MS } from '../../infra/sizing.js';
import { type Run, rollingUpdate } from '../dynamo/convergence-bench.js';
import { startDynamoHarness } from '../dynamo/dynamo-harness.js';
import type { AimVerdict, Benchmark, BenchOptions, BenchResult, Progress } from '../shared/bench-result.js';
import { formatCount, formatRatio, formatSeconds } from '../shared/stats.js';
import { modelAwsCost } from './aws-cost-model.js';
import { type BurstFigures, measureJoinBurst } from './join-burst-keys.js';
import type { KeyPeak } from './key-peaks.js';
import { GPU_DAEMON_SETS, measureNodeJoins, type SizeFigures } from './measure-node-joins.js';
import { burstTable, joinTable, PARTITION_LIMITS, rolloutTable } from './scale-tables.js';

/** Issue 11: what an event costs as the fleet grows, through the real handlers on DynamoDB Local. */
export const scaleBenchmark: Benchmark = {
  name: 'scale',
  title: 'Scale: cost of an event as the fleet grows (real handlers, DynamoClusterStore, DynamoDB Local)',
  run: runScale,
};

const JOINS_PER_SIZE = 3;
const WRITE_LAG_MINUTES = WRITE_LAG_MS / 60_000 + 1;
const AIM = { ratio: 1.2, modelledJoinReads: 1_000, largeRolloutMs: 60_000 };

async function runScale(options: BenchOptions, progress: Progress): Promise<BenchResult> {
  const sizes = options.quick ? [100, 300] : [300, 1_000, 3_000, ...(options.large ? [10_000] : [])];
  progress('scale: starting DynamoDB Local');
  const harness = await startDynamoHarness();
  const measured: SizeFigures[] = [];
  let burst: BurstFigures;
  const rollouts: Run[] = [];
  try {
    for (const nodes of sizes) measured.push(await measureNodeJoins(harness, nodes, JOINS_PER_SIZE, progress));
    burst = await measureJoinBurst(harness, options.quick ? 200 : 1_000, progress);
    rollouts.push(await rollingUpdate(harness, options.quick ? 200 : 1_000, progress));
    if (options.large) rollouts.push(await rollingUpdate(harness, 10_000, progress));
  } finally {
    await harness.stop();
  }
  const rollout = rollouts.at(-1);
  const smallest = measured[0];
  const largest = measured.at(-1);
  if (rollout === undefined || smallest === undefined || largest === undefined) throw new Error('nothing measured');
  const cost = modelAwsCost({
    daemonSetsPerJoin: GPU_DAEMON_SETS,
    joins: measured.map((size) => ({ nodes: size.nodes, ...size.join })),
    resyncPasses: measured.map((size) => ({ nodes: size.nodes, ...size.resyncPass })),
    rollout: { nodes: rollout.nodes, readUnits: rollout.readUnits, writeUnits: rollout.writeUnits },
  });
  return {
    name: 'scale',
    title: scaleBenchmark.title,
    tables: [joinTable(measured), burstTable(burst), rolloutTable(rollouts), cost.table],
    aims: aims(measured, smallest, largest, burst, cost.modelledJoin.readUnits, rollouts),
    notes: [
      `Node join: a settled cluster (pods Running and Ready) of N seeded nodes (5 % GPU nodes) with D = ${GPU_DAEMON_SETS} DaemonSets selecting nvidia.com/gpu.present=true; the cluster is then left quiet (the clock skips ${WRITE_LAG_MINUTES} minutes, past the stores' look-back) and one unmeasured resync warms the stores; one new GPU node joins through the ingest queue; meters reset just before it. Figures are the median of ${JOINS_PER_SIZE} joins, each from a settled cluster. "All pods desired" is read after every batch (ingest or reconcile, so a node path that places pods in either is timed alike) with the agent's own query (byNode), uncounted and left out of the times.`,
      'Resync pass: the real resync handler enqueues every DaemonSet of the settled cluster; units of the passes (no change to make) ÷ DaemonSets.',
      'Per-key units: DynamoDB reports capacity per table and index, so every request is attributed to the partition key(s) it touched (Query: its key-condition value; Get/Put/Update/Delete: the item; batch and transaction requests: per item, reads split evenly over the items asked for, writes priced per item and per index entry, the index entry on the index partition "<index>:<value>"). Peaks are the busiest sliding one-second window on this machine\'s clock (each request counted when its response arrived). DynamoDB Local on shared cores is slower than AWS, so the same work compressed into AWS time gives higher rates: the modelled AWS peak multiplies the peak here by Local\'s median single-item latency in the burst ÷ 5 ms (AWS\'s "single-digit milliseconds"; at least 1x), assuming the handlers\' own time compresses alike and the same one-batch-at-a-time consumers; "headroom" is how much faster than here the burst may run before the key reaches its limit; "share" (the key\'s part of all units in the burst) does not depend on speed.',
      'RCU are what DynamoDB Local reports (strongly consistent reads, one unit per started 4 KB); WCU follow AWS pricing rules (see dynamo-cost). Times are wall clock on DynamoDB Local, one batch at a time (ingest 10, reconcile 5 records), delays skipped.',
    ],
    figures: { sizes: measured, burst, rollouts, cost: cost.lines },
  };
}

function aims(
  measured: readonly SizeFigures[],
  smallest: SizeFigures,
  largest: SizeFigures,
  burst: BurstFigures,
  modelledJoinReads: number,
  rollouts: readonly Run[],
): AimVerdict[] {
  const between = `${formatCount(largest.nodes)} ÷ ${formatCount(smallest.nodes)} nodes`;
  const readRatio = largest.join.readUnits / smallest.join.readUnits;
  const desiredRatio = largest.join.desiredMs / smallest.join.desiredMs;
  const writeFloor = 3 * GPU_DAEMON_SETS + 4;
  const maxWrites = Math.max(...measured.map((size) => size.join.writeUnits));
  const large = rollouts.find((run) => run.nodes === 10_000);
  return [
    {
      aim: `RCU of a node join, ${between} ≤ ${AIM.ratio}x (D = ${GPU_DAEMON_SETS})`,
      measured: `${formatCount(largest.join.readUnits)} vs ${formatCount(smallest.join.readUnits)} (${formatRatio(readRatio)})`,
      met: readRatio <= AIM.ratio,
    },
    {
      aim: `join → all pods desired, ${between} ≤ ${AIM.ratio}x`,
      measured: `${formatSeconds(largest.join.desiredMs)} vs ${formatSeconds(smallest.join.desiredMs)} (${formatRatio(desiredRatio)})`,
      met: desiredRatio <= AIM.ratio,
    },
    {
      aim: `WCU of a node join ≤ 3·D + 4 = ${writeFloor} (every N)`,
      measured: `${formatCount(maxWrites)} at most`,
      met: maxWrites <= writeFloor,
    },
    keyAim(burst, 'WCU', burst.topWrite[0], PARTITION_LIMITS.writeUnits),
    keyAim(burst, 'RCU', burst.topRead[0], PARTITION_LIMITS.readUnits),
    {
      aim: `RCU of a node join at 10,000 nodes × 100 DaemonSets (modelled) ≤ ${formatCount(AIM.modelledJoinReads)}`,
      measured: formatCount(modelledJoinReads),
      met: modelledJoinReads <= AIM.modelledJoinReads,
    },
    ...(large === undefined
      ? []
      : [
          {
            aim: `10,000-node rolling update ≤ ${formatSeconds(AIM.largeRolloutMs)} on DynamoDB Local`,
            measured: `${formatSeconds(large.stats.wallMs)} (${large.waves} waves)`,
            met: large.stats.wallMs <= AIM.largeRolloutMs,
          },
        ]),
  ];
}

/** A per-key aim, judged on the peak modelled on AWS (the peak here times the speed-up). */
function keyAim(burst: BurstFigures, units: 'RCU' | 'WCU', hottest: KeyPeak | undefined, limit: number): AimVerdict {
  const here = hottest?.peakPerSecond ?? 0;
  const modelled = here * burst.speed.factor;
  return {
    aim: `busiest partition key in a ${formatCount(burst.nodes)}-node join burst ≤ ${formatCount(limit)} ${units}/s (modelled on AWS)`,
    measured: `${formatCount(modelled)} ${units}/s on ${hottest?.partition ?? '–'} (${formatCount(here)} here × ${formatRatio(burst.speed.factor)})`,
    met: modelled <= limit,
  };
}
