import type { Benchmark, BenchOptions, BenchResult, Progress } from '../shared/bench-result.js';
import { formatCount, formatMs, formatRatio, median } from '../shared/stats.js';
import { timed } from '../shared/timing.js';
import {
  ANSWERS_LOOP,
  BASELINE_LOOP,
  countDifferences,
  DECISION_LOOP,
  type PlacementLoop,
  REFERENCE_LOOP,
  type Tally,
} from './placement-loops.js';
import { NODE_MIX, realisticNodes } from './realistic-nodes.js';
import { realisticPlacements } from './realistic-placements.js';

const AIM_DECISIONS_PER_SECOND = 5_000_000;
const AIM_RATIO = 3;
const LOOPS: readonly PlacementLoop[] = [ANSWERS_LOOP, DECISION_LOOP, REFERENCE_LOOP, BASELINE_LOOP];

/** Issue 7.1: eligibility decisions per second on a realistic fleet, beside a bare label-comparison loop. */
export const placementBenchmark: Benchmark = {
  name: 'placement',
  title: 'Placement: eligibility decisions per second',
  run: runPlacement,
};

async function runPlacement(options: BenchOptions, progress: Progress): Promise<BenchResult> {
  const nodeCount = options.quick ? 2_000 : 10_000;
  const daemonSetCount = 100;
  const rounds = options.quick ? 3 : 7;
  const nodes = realisticNodes(nodeCount);
  const placements = realisticPlacements(daemonSetCount);
  const decisions = nodeCount * daemonSetCount;

  progress('placement: checking answers and reasons against the reference on every pair');
  const differences = countDifferences(nodes, placements);
  const times = new Map<PlacementLoop, number[]>(LOOPS.map((loop) => [loop, []]));
  const tallies = new Map<PlacementLoop, Tally>();
  for (const loop of LOOPS) loop.run(nodes, placements); // warm-up: let the JIT optimise every loop first
  for (let round = 1; round <= rounds; round += 1) {
    // Rotate the order so drift on a shared machine falls on every loop alike.
    for (let index = 0; index < LOOPS.length; index += 1) {
      const loop = LOOPS[(index + round) % LOOPS.length] ?? ANSWERS_LOOP;
      const { result, ms } = timed(() => loop.run(nodes, placements));
      times.get(loop)?.push(ms);
      tallies.set(loop, result);
    }
    progress(`placement: round ${round}/${rounds}`);
    await Promise.resolve();
  }
  const baselineTimes = times.get(BASELINE_LOOP) ?? [];
  const summary = (loop: PlacementLoop) => {
    const ms = times.get(loop) ?? [];
    // The ratio is taken round by round (loops of one round ran within a second of each other).
    const ratio = median(ms.map((value, round) => value / (baselineTimes[round] ?? value)));
    return { medianMs: median(ms), perSecond: decisions / (median(ms) / 1000), ratio, ms };
  };
  const answers = summary(ANSWERS_LOOP);
  const decision = summary(DECISION_LOOP);
  const reference = summary(REFERENCE_LOOP);
  const tally = tallies.get(ANSWERS_LOOP) ?? { shouldRun: 0, keepOnly: 0, neither: 0 };

  return {
    name: 'placement',
    title: placementBenchmark.title,
    tables: [
      {
        title: `${formatCount(nodeCount)} nodes × ${daemonSetCount} DaemonSets = ${formatCount(decisions)} decisions per pass, median of ${rounds} rounds`,
        columns: ['loop', 'median pass', 'decisions/s', 'ns/decision', 'vs baseline'],
        rows: LOOPS.map((loop) => {
          const { medianMs, perSecond, ratio } = summary(loop);
          return [
            loop.label,
            formatMs(medianMs),
            formatCount(perSecond),
            (1e9 / perSecond).toFixed(0),
            formatRatio(ratio),
          ];
        }),
      },
      {
        title: 'Answers in the workload',
        columns: ['answer', 'pairs', 'share'],
        rows: [
          ['shouldRun', formatCount(tally.shouldRun), share(tally.shouldRun, decisions)],
          ['keep only (untolerated NoSchedule)', formatCount(tally.keepOnly), share(tally.keepOnly, decisions)],
          ['neither', formatCount(tally.neither), share(tally.neither, decisions)],
        ],
      },
    ],
    aims: [
      {
        aim: `≥ ${formatCount(AIM_DECISIONS_PER_SECOND)} decisions/s (placementAnswers)`,
        measured: `${formatCount(answers.perSecond)}/s`,
        met: answers.perSecond >= AIM_DECISIONS_PER_SECOND,
      },
      {
        aim: `within ${AIM_RATIO}x of the baseline (placementAnswers)`,
        measured: formatRatio(answers.ratio),
        met: answers.ratio <= AIM_RATIO,
      },
      {
        aim: `≥ ${formatCount(AIM_DECISIONS_PER_SECOND)} decisions/s (nodeShouldRunDaemonPod, with reasons)`,
        measured: `${formatCount(decision.perSecond)}/s`,
        met: decision.perSecond >= AIM_DECISIONS_PER_SECOND,
      },
      {
        aim: `within ${AIM_RATIO}x of the baseline (nodeShouldRunDaemonPod, with reasons)`,
        measured: formatRatio(decision.ratio),
        met: decision.ratio <= AIM_RATIO,
      },
      {
        aim: 'same answers and reason texts as before, on every pair',
        measured: `${formatCount(differences)} of ${formatCount(decisions)} pairs differ`,
        met: differences === 0,
      },
    ],
    notes: [
      `Fleet mix: ${Object.entries(NODE_MIX)
        .map(([kind, fraction]) => `${kind} ${(fraction * 100).toFixed(1)}%`)
        .join(', ')}; 12 to 16 labels per node; 16 kinds of DaemonSet (see bench/placement/).`,
      'Baseline: for each pair, the label keys the placement reads (nodeSelector, first affinity term) compared with ===.',
      `Speed-up over the first implementation: ${formatRatio(reference.medianMs / answers.medianMs)} (placementAnswers), ${formatRatio(reference.medianMs / decision.medianMs)} (nodeShouldRunDaemonPod).`,
    ],
    figures: {
      nodeCount,
      daemonSetCount,
      rounds,
      differences,
      tally,
      loops: Object.fromEntries(LOOPS.map((loop) => [loop.label, summary(loop)])),
    },
  };
}

const share = (part: number, whole: number): string => `${((part / whole) * 100).toFixed(1)}%`;
