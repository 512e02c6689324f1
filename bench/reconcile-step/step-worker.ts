import { PerformanceObserver } from 'node:perf_hooks';
import { nodeShouldRunDaemonPod } from '../../lib/placement/node-should-run-daemon-pod.js';
import { placementAnswers } from '../../lib/placement/placement-answers.js';
import { planReconcile } from '../../lib/reconcile/plan-reconcile.js';
import { median } from '../shared/stats.js';
import { buildStepSnapshot, STEP_NOW, STEP_SCENARIOS, type StepScenario } from './step-scenarios.js';

/** What one scenario measured, printed as JSON on stdout for the parent process. */
export type StepMeasurement = Readonly<{
  scenario: StepScenario;
  nodeCount: number;
  actions: Readonly<{ creates: number; deletes: number; revisions: number; events: number }>;
  firstMs: number;
  medianMs: number;
  runs: number;
  /** Heap used by the snapshot itself (after a full GC). */
  snapshotHeapBytes: number;
  /** Heap growth over one step with no GC during it: everything the step allocated, a bound on its peak. */
  stepAllocatedBytes: number;
  /** Garbage collections that ran during the measured step (0 makes `stepAllocatedBytes` exact). */
  gcsDuringStep: number;
  /** Heap still held after the step and a full GC: the step's result. */
  stepRetainedBytes: number;
  /** The snapshot as JSON: about what DynamoDB sends for it. */
  snapshotJsonBytes: number;
  /** The process's peak resident set (tsx and the snapshot included). */
  maxRssBytes: number;
  placementAllNodesMs: Readonly<{ nodeShouldRunDaemonPod: number; placementAnswers: number }>;
}>;

// Run as: node --expose-gc --max-semi-space-size=256 --import tsx bench/reconcile-step/step-worker.ts <scenario> <nodes> <runs>
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run the step worker with --expose-gc');
const [scenarioArgument = 'fresh', nodesArgument = '10000', runsArgument = '5'] = process.argv.slice(2);
const scenario = STEP_SCENARIOS.find((name) => name === scenarioArgument);
if (scenario === undefined) throw new Error(`unknown scenario ${scenarioArgument}`);
const nodeCount = Number(nodesArgument);
const runs = Number(runsArgument);

let gcs = 0;
const observer = new PerformanceObserver((list) => {
  gcs += list.getEntries().length;
});
observer.observe({ entryTypes: ['gc'] });

const heapUsed = () => process.memoryUsage().heapUsed;
gc();
const empty = heapUsed();
const snapshot = buildStepSnapshot(scenario, nodeCount);
gc();
const beforeStep = heapUsed();

// The first step runs cold, as in a fresh Lambda: no JIT warm-up.
const gcsBefore = gcs;
const start = performance.now();
let step = planReconcile(snapshot, STEP_NOW);
const firstMs = performance.now() - start;
const afterStep = heapUsed();
await new Promise((resolve) => setImmediate(resolve)); // let the GC observer report
const gcsDuringStep = gcs - gcsBefore;
gc();
const retained = heapUsed();

const times: number[] = [];
for (let run = 0; run < runs; run += 1) {
  const began = performance.now();
  step = planReconcile(snapshot, STEP_NOW);
  times.push(performance.now() - began);
}
const timeAll = (decide: typeof placementAnswers): number => {
  const began = performance.now();
  for (const node of snapshot.nodes) decide(node, snapshot.daemonSet.placement);
  return performance.now() - began;
};
const placementTimes = { nodeShouldRunDaemonPod: [] as number[], placementAnswers: [] as number[] };
for (let run = 0; run < Math.max(3, runs); run += 1) {
  placementTimes.nodeShouldRunDaemonPod.push(timeAll(nodeShouldRunDaemonPod));
  placementTimes.placementAnswers.push(timeAll(placementAnswers));
}
observer.disconnect();

const measurement: StepMeasurement = {
  scenario,
  nodeCount,
  actions: {
    creates: step.actions.filter((action) => action.kind === 'createPod').length,
    deletes: step.actions.filter((action) => action.kind === 'deletePod').length,
    revisions: step.revisions.length,
    events: step.events.length,
  },
  firstMs,
  medianMs: median(times),
  runs,
  snapshotHeapBytes: beforeStep - empty,
  stepAllocatedBytes: afterStep - beforeStep,
  gcsDuringStep,
  stepRetainedBytes: retained - beforeStep,
  snapshotJsonBytes: Buffer.byteLength(JSON.stringify(snapshot)),
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
  placementAllNodesMs: {
    nodeShouldRunDaemonPod: median(placementTimes.nodeShouldRunDaemonPod),
    placementAnswers: median(placementTimes.placementAnswers),
  },
};
process.stdout.write(`${JSON.stringify(measurement)}\n`);
