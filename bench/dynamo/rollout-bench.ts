import { SIZING } from '../../infra/sizing.js';
import type { Benchmark, BenchOptions, BenchResult, Progress } from '../shared/bench-result.js';
import { formatCount, formatSeconds, formatUnits } from '../shared/stats.js';
import { type Run, rollingUpdate } from './convergence-bench.js';
import { startDynamoHarness } from './dynamo-harness.js';

/**
 * Issue 11's rolling-update aim (10,000 nodes in 60 s on DynamoDB Local) in the two look-backs the product runs
 * with: the deployed stack's (every warm read lists the writes of the last `WRITE_LAG_MS`, 2 minutes) and the
 * local control plane's (one writing process: warm reads list only what was written since the last read).
 */
export const rolloutBenchmark: Benchmark = {
  name: 'rollout',
  title: 'Rolling update on DynamoDB Local: the stack look-back and the local control plane look-back',
  run: runRollout,
};

const AIM_MS = 60_000;

type Measured = Readonly<{ lookBack: string; run: Run }>;

async function runRollout(options: BenchOptions, progress: Progress): Promise<BenchResult> {
  const nodes = options.quick ? 200 : 1_000;
  progress('rollout: starting DynamoDB Local');
  const harness = await startDynamoHarness();
  const measured: Measured[] = [];
  try {
    const ingestConcurrency = SIZING.ingest.maxConcurrency;
    measured.push({
      lookBack: 'one writer (local)',
      run: await rollingUpdate(harness, nodes, progress, { oneWriter: true, ingestConcurrency }),
    });
    measured.push({
      lookBack: 'stack (2 min)',
      run: await rollingUpdate(harness, nodes, progress, { ingestConcurrency }),
    });
    // The stack's look-back at 10,000 nodes is `convergence --large` (one batch at a time).
    if (options.large) {
      measured.push({
        lookBack: 'one writer (local)',
        run: await rollingUpdate(harness, 10_000, progress, { oneWriter: true, ingestConcurrency }),
      });
    }
  } finally {
    await harness.stop();
  }
  const large = measured.find(({ run }) => run.nodes === 10_000)?.run.stats.wallMs;
  return {
    name: 'rollout',
    title: rolloutBenchmark.title,
    tables: [
      {
        title: 'Rolling update, maxUnavailable 10 %, agents ready and gone at once',
        columns: [
          'look-back',
          'nodes',
          'time',
          'waves',
          'ingest',
          'reconcile',
          'agents',
          'reports',
          'conflicts',
          'RCU',
          'WCU',
          'RCU per wave',
          'WCU per wave',
        ],
        rows: measured.map(({ lookBack, run }) => {
          const waves = run.waves ?? 1;
          return [
            lookBack,
            formatCount(run.nodes),
            formatSeconds(run.stats.wallMs),
            String(run.waves ?? '–'),
            formatSeconds(run.stats.ingestMs),
            formatSeconds(run.stats.reconcileMs),
            formatSeconds(run.stats.agentsMs),
            formatCount(run.stats.agentReports),
            formatCount(run.conflicts),
            formatUnits(run.readUnits),
            formatUnits(run.writeUnits),
            formatUnits(run.readUnits / waves),
            formatUnits(run.writeUnits / waves),
          ];
        }),
      },
    ],
    aims:
      large === undefined
        ? []
        : [
            {
              aim: '10,000-node rolling update on DynamoDB Local ≤ 60 s',
              measured: formatSeconds(large),
              met: large <= AIM_MS,
            },
          ],
    notes: [
      "The real ingest and reconcile handlers over DynamoClusterStore on DynamoDB Local (bench/dynamo/bench-pipeline.ts): ingest runs up to the stack's 5 batches of 10 at once, reconcile one batch of 5; after every reconcile batch the simulated agents report each new pod Running and Ready and each terminating pod gone.",
      '"one writer" gives both stores one InFlightWrites, as the local control plane does; "stack" looks back WRITE_LAG_MS (infra/sizing.ts), as every deployed function does. With --large, one writer at 10,000 nodes too (the stack look-back at 10,000 is convergence --large).',
    ],
    figures: { measured },
  };
}
