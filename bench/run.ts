import { writeFile } from 'node:fs/promises';
import { agentBenchmark } from './agent/agent-bench.js';
import { parseBenchCommand, USAGE } from './cli-options.js';
import { dashboardBenchmark } from './dashboard/dashboard-bench.js';
import { dashboardDynamoBenchmark } from './dashboard/dashboard-dynamo-bench.js';
import { convergenceBenchmark } from './dynamo/convergence-bench.js';
import { dynamoCostBenchmark } from './dynamo/cost-bench.js';
import { rolloutBenchmark } from './dynamo/rollout-bench.js';
import { writeFloorBenchmark } from './dynamo/write-floor-bench.js';
import { kubeApiBenchmark } from './kube-api/kube-api-bench.js';
import { lambdaBenchmark } from './lambda/lambda-bench.js';
import { drainBenchmark } from './lifecycle/drain-bench.js';
import { gateLatencyBenchmark } from './lifecycle/gate-latency-bench.js';
import { localApiBenchmark } from './local-api/local-api-bench.js';
import { placementBenchmark } from './placement/placement-bench.js';
import { reconcileStepBenchmark } from './reconcile-step/reconcile-step-bench.js';
import { scaleBenchmark } from './scale/scale-bench.js';
import type { Benchmark, BenchResult } from './shared/bench-result.js';
import { formatResult } from './shared/format-result.js';
import { describeMachine } from './shared/machine.js';
import { createProgress } from './shared/progress.js';
import { formatSeconds } from './shared/stats.js';

const BENCHMARKS: readonly Benchmark[] = [
  placementBenchmark,
  reconcileStepBenchmark,
  dynamoCostBenchmark,
  convergenceBenchmark,
  scaleBenchmark,
  rolloutBenchmark,
  localApiBenchmark,
  writeFloorBenchmark,
  lambdaBenchmark,
  gateLatencyBenchmark,
  drainBenchmark,
  kubeApiBenchmark,
  agentBenchmark,
  dashboardBenchmark,
  dashboardDynamoBenchmark,
];

async function main(): Promise<number> {
  const command = parseBenchCommand(process.argv.slice(2));
  if (command.help) {
    console.log(`${USAGE}\n\nBenchmarks: ${BENCHMARKS.map((benchmark) => benchmark.name).join(', ')}`);
    return 0;
  }
  const unknown = command.selected.filter((name) => !BENCHMARKS.some((benchmark) => benchmark.name === name));
  if (unknown.length > 0) {
    console.error(`unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
    return 2;
  }
  const chosen = BENCHMARKS.filter(
    (benchmark) => command.selected.length === 0 || command.selected.includes(benchmark.name),
  );
  const machine = describeMachine();
  console.log(
    `everynode benchmarks, ${machine.date}: node ${machine.node}, ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memory}`,
  );
  console.log(`mode: ${command.quick ? 'quick' : 'full'}${command.large ? ' + large' : ''}`);
  const progress = createProgress();
  const results: BenchResult[] = [];
  const started = performance.now();
  for (const benchmark of chosen) {
    const began = performance.now();
    progress(`${benchmark.name}: starting`);
    const result = await benchmark.run({ quick: command.quick, large: command.large }, progress);
    progress.done();
    results.push(result);
    console.log(formatResult(result));
    console.log(`  (${benchmark.name} took ${formatSeconds(performance.now() - began)})`);
  }
  const missed = results.flatMap((result) =>
    result.aims.filter((aim) => !aim.met).map((aim) => `${result.name}: ${aim.aim}`),
  );
  console.log(`\nAll benchmarks took ${formatSeconds(performance.now() - started)}.`);
  console.log(
    missed.length === 0 ? 'Every aim met.' : `Aims missed:\n${missed.map((line) => `  - ${line}`).join('\n')}`,
  );
  if (command.json !== undefined) {
    const body = { machine, mode: { quick: command.quick, large: command.large }, results };
    await writeFile(command.json, `${JSON.stringify(body, null, 2)}\n`);
    console.log(`JSON written to ${command.json}`);
  }
  return 0;
}

// Exit through process.exit on a signal, so 'exit' handlers run (DynamoDB Local's JVM is killed on 'exit').
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));
process.exitCode = await main();
