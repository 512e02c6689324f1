import type { Benchmark, BenchOptions, BenchResult, Progress } from '../shared/bench-result.js';
import { runWorker } from '../shared/run-worker.js';
import { formatCount, formatMb, formatMs } from '../shared/stats.js';
import { SCENARIO_LABELS, STEP_SCENARIOS } from './step-scenarios.js';
import type { StepMeasurement } from './step-worker.js';

const LAMBDA_MEMORY_BYTES = 1024 ** 3;
/** "Comfortably": the whole process, snapshot included, under a quarter of a 1 GB function. */
const COMFORTABLE_SHARE = 0.25;

/** Issue 7.2: time and memory of one planReconcile step for a 10,000-node DaemonSet. */
export const reconcileStepBenchmark: Benchmark = {
  name: 'reconcile-step',
  title: 'Reconcile step: one planReconcile for a 10,000-node DaemonSet',
  run: runReconcileStep,
};

async function runReconcileStep(options: BenchOptions, progress: Progress): Promise<BenchResult> {
  const nodeCount = options.quick ? 2_000 : 10_000;
  const runs = options.quick ? 3 : 9;
  const measurements: StepMeasurement[] = [];
  for (const scenario of STEP_SCENARIOS) {
    progress(`reconcile-step: ${scenario} on ${formatCount(nodeCount)} nodes (fresh process)`);
    measurements.push(
      await runWorker<StepMeasurement>(
        'bench/reconcile-step/step-worker.ts',
        [scenario, String(nodeCount), String(runs)],
        // A young generation large enough that no GC runs during one step, so heap growth = allocation.
        ['--expose-gc', '--max-semi-space-size=256'],
      ),
    );
  }
  const worstRss = Math.max(...measurements.map((measurement) => measurement.maxRssBytes));
  const worstStep = Math.max(...measurements.map((m) => m.snapshotHeapBytes + m.stepAllocatedBytes));
  return {
    name: 'reconcile-step',
    title: reconcileStepBenchmark.title,
    tables: [
      {
        title: `${formatCount(nodeCount)} nodes, a DaemonSet that tolerates every taint, maxUnavailable 10%, burstReplicas 250`,
        columns: [
          'scenario',
          'actions',
          'first step (cold)',
          `median of ${runs}`,
          'snapshot heap',
          'step allocates',
          'step retains',
          'process peak RSS',
        ],
        rows: measurements.map((m) => [
          SCENARIO_LABELS[m.scenario],
          `${m.actions.creates} creates, ${m.actions.deletes} deletes, ${m.actions.revisions} revision changes`,
          formatMs(m.firstMs),
          formatMs(m.medianMs),
          formatMb(m.snapshotHeapBytes),
          `${formatMb(m.stepAllocatedBytes)}${m.gcsDuringStep > 0 ? ` (${m.gcsDuringStep} GCs)` : ''}`,
          formatMb(Math.max(0, m.stepRetainedBytes)),
          formatMb(m.maxRssBytes),
        ]),
      },
      {
        title: 'Placement inside the step (every node, this DaemonSet)',
        columns: ['scenario', 'nodeShouldRunDaemonPod', 'placementAnswers', 'snapshot as JSON'],
        rows: measurements.map((m) => [
          m.scenario,
          formatMs(m.placementAllNodesMs.nodeShouldRunDaemonPod),
          formatMs(m.placementAllNodesMs.placementAnswers),
          formatMb(m.snapshotJsonBytes),
        ]),
      },
    ],
    aims: [
      {
        aim: `fits comfortably in a 1 GB Lambda (peak RSS < ${COMFORTABLE_SHARE * 100}% of 1 GB)`,
        measured: `peak RSS ${formatMb(worstRss)}; snapshot + step allocations ≤ ${formatMb(worstStep)}`,
        met: worstRss < LAMBDA_MEMORY_BYTES * COMFORTABLE_SHARE,
      },
    ],
    notes: [
      'Each scenario runs in a fresh `node --expose-gc --max-semi-space-size=256` process; the first step is cold (no JIT warm-up), as in a new Lambda instance.',
      'Step allocates = heap growth across one step with no GC during it (an upper bound on its peak); step retains = what is still held after a full GC (the step result).',
      'Peak RSS includes Node, tsx and the snapshot; a Lambda also holds the DynamoDB response while decoding it (about the JSON size again).',
    ],
    figures: { nodeCount, runs, measurements },
  };
}
