import type { Benchmark, BenchOptions, BenchResult, Progress, ResultTable } from '../shared/bench-result.js';
import { formatCount, formatRatio, formatUnits, median } from '../shared/stats.js';
import { calibrateLocal } from './calibrate-local.js';
import { type Measurement, totalsOf } from './capacity-meter.js';
import { type CostScenario, costScenarios } from './cost-scenarios.js';
import { startDynamoHarness } from './dynamo-harness.js';

const AIM_RATIO = 1.2;

/** Issue 7.3: DynamoDB capacity per event through the real handlers and the DynamoDB store. */
export const dynamoCostBenchmark: Benchmark = {
  name: 'dynamo-cost',
  title: 'DynamoDB cost per event (real handlers, DynamoClusterStore, DynamoDB Local)',
  run: runCost,
};

type ScenarioResult = Readonly<{
  scenario: CostScenario;
  measurement: Measurement;
  passes: number;
  conflicts: number;
  reports: number;
}>;

async function runCost(options: BenchOptions, progress: Progress): Promise<BenchResult> {
  progress('dynamo-cost: starting DynamoDB Local');
  const harness = await startDynamoHarness();
  const results: ScenarioResult[] = [];
  let calibration: ResultTable;
  let sizes: ResultTable;
  try {
    calibration = await calibrateLocal(harness.endpoint);
    for (const scenario of costScenarios(options.quick)) {
      progress(`dynamo-cost: ${scenario.name} (setting up)`);
      const pipeline = await harness.openPipeline(scenario.name);
      await scenario.setup(pipeline);
      harness.meter.take();
      const failedBefore = pipeline.store.failedSteps.length;
      progress(`dynamo-cost: ${scenario.name} (measuring)`);
      pipeline.send(...scenario.event(pipeline));
      const stats = await pipeline.drain({ agents: scenario.agents });
      results.push({
        scenario,
        measurement: harness.meter.take(),
        passes: stats.reconcileRecords,
        conflicts: pipeline.store.failedSteps.length - failedBefore,
        reports: stats.agentReports,
      });
    }
    sizes = itemSizes(harness.meter.model.sizesByKind());
  } finally {
    await harness.stop();
  }

  const summary = results.map((result) => {
    const total = totalsOf(result.measurement.usage);
    const per = result.scenario.per?.count ?? 1;
    const writes = (total.writeUnits + total.indexWriteUnits) / per;
    const floor = result.scenario.floor / per;
    return { result, total, per, writes, floor, ratio: writes / floor };
  });
  return {
    name: 'dynamo-cost',
    title: dynamoCostBenchmark.title,
    tables: [
      {
        title: 'Write and read units per event (AWS pricing rules; reads as DynamoDB Local reports them)',
        columns: [
          'event',
          'floor WCU',
          'WCU table',
          'WCU indexes',
          'WCU total',
          'vs floor',
          'Local says WCU',
          'RCU',
          'passes',
          'conflicts',
        ],
        rows: summary.map(({ result, total, per, writes, floor, ratio }) => [
          result.scenario.name,
          formatUnits(floor),
          formatUnits(total.writeUnits / per),
          formatUnits(total.indexWriteUnits / per),
          formatUnits(writes),
          formatRatio(ratio),
          formatUnits(total.localWriteUnits / per),
          formatUnits(total.readUnits / per),
          formatUnits(result.passes / per),
          formatUnits(result.conflicts / per),
        ]),
      },
      {
        title: 'Where the write units go (per event; items written, table and index units by item kind)',
        columns: ['event', 'item kind', 'items', 'in transactions', 'WCU table', 'WCU indexes'],
        rows: summary.flatMap(({ result, per }) =>
          [...result.measurement.byKind]
            .sort(([, a], [, b]) => b.tableUnits + b.indexUnits - (a.tableUnits + a.indexUnits))
            .map(([kind, cost]) => [
              result.scenario.name,
              kind,
              formatUnits(cost.items / per),
              formatUnits(cost.transactional / per),
              formatUnits(cost.tableUnits / per),
              formatUnits(cost.indexUnits / per),
            ]),
        ),
      },
      {
        title: 'Where the read units go (per event; by store method and DynamoDB operation)',
        columns: ['event', 'store method', 'operation', 'requests', 'RCU'],
        rows: summary.flatMap(({ result, per }) =>
          [...result.measurement.usage].flatMap(([label, operations]) =>
            [...operations]
              .filter(([, line]) => line.readUnits > 0)
              .map(([operation, line]) => [
                result.scenario.name,
                label,
                operation,
                formatUnits(line.requests / per),
                formatUnits(line.readUnits / per),
              ]),
          ),
        ),
      },
      sizes,
      calibration,
    ],
    aims: summary.map(({ result, writes, floor, ratio }) => ({
      aim: `${result.scenario.name}: writes ≤ ${AIM_RATIO}x floor (${result.scenario.floorWhat})`,
      measured: `${formatUnits(writes)} WCU vs ${formatUnits(floor)} (${formatRatio(ratio)})`,
      met: ratio <= AIM_RATIO,
    })),
    notes: [
      'WCU follow AWS pricing: one unit per started KB of the larger of the old and new item; twice that inside TransactWriteItems (prepare + commit; a ConditionCheck priced like a write of its item); one unit per started KB for every global-secondary-index entry written (keys plus projected attributes: byNode projects ALL, byKind only rejection bodies, the local index bySeq the write id of every node, revision, pod and status item and removal marker; an entry whose keys and projected attributes stay the same is not written), not doubled. DynamoDB Local misreports transactions (see the calibration table), so writes are priced from each request and a shadow of item sizes.',
      'RCU are what DynamoDB Local reports (strongly consistent: one unit per started 4 KB of items read; it reports 0 where AWS bills a 0.5 minimum for an empty result).',
      'Each event runs from a settled cluster in its own table; "passes" counts reconcile messages handled until the queues were empty. Agents report only in the rolling update (there the reports\' writes are included).',
    ],
    figures: {
      scenarios: summary.map(({ result, total, per, writes, floor, ratio }) => ({
        name: result.scenario.name,
        per,
        floor,
        writes,
        ratio,
        total,
        passes: result.passes,
        conflicts: result.conflicts,
        agentReports: result.reports,
        byKind: Object.fromEntries(result.measurement.byKind),
        byLabel: Object.fromEntries(
          [...result.measurement.usage].map(([label, operations]) => [label, Object.fromEntries(operations)]),
        ),
      })),
    },
  };
}

function itemSizes(sizes: Map<string, number[]>): ResultTable {
  return {
    title: 'Item sizes stored by the end of the run (bytes, DynamoDB item-size rules)',
    columns: ['item kind', 'items', 'median size', 'largest', 'WCU per plain write'],
    rows: [...sizes]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, list]) => [
        kind,
        formatCount(list.length),
        formatCount(median(list)),
        formatCount(Math.max(...list)),
        String(Math.max(1, Math.ceil(median(list) / 1024))),
      ]),
  };
}
