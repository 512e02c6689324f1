import type { Benchmark, BenchOptions, BenchResult, Progress, ResultTable } from '../shared/bench-result.js';
import { formatCount, formatRatio, formatUnits, median } from '../shared/stats.js';
import { calibrateLocal } from './calibrate-local.js';
import { type Measurement, totalsOf } from './capacity-meter.js';
import { type CostScenario, costScenarios } from './cost-scenarios.js';
import { startDynamoHarness } from './dynamo-harness.js';

const AIM_RATIO = 1.2;
/** Issue 11: a DaemonSet apply on N nodes at ≤ 2.2 N write units, 1.1x its floor of 2 N (pods and byNode entries). */
const ISSUE_11_APPLY_RATIO = 1.1;

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
    const agentFloor = result.scenario.agentFloor / per;
    return { result, total, per, writes, floor, ratio: writes / floor, agentFloor, agentRatio: writes / agentFloor };
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
          'issue 11 floor',
          'vs it',
          'Local says WCU',
          'RCU',
          'passes',
          'conflicts',
        ],
        rows: summary.map(({ result, total, per, writes, floor, ratio, agentFloor, agentRatio }) => [
          result.scenario.name,
          formatUnits(floor),
          formatUnits(total.writeUnits / per),
          formatUnits(total.indexWriteUnits / per),
          formatUnits(writes),
          formatRatio(ratio),
          formatUnits(agentFloor),
          formatRatio(agentRatio),
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
    aims: [
      ...summary.map(({ result, writes, floor, ratio }) => ({
        aim: `${result.scenario.name}: writes ≤ ${AIM_RATIO}x floor (${result.scenario.floorWhat})`,
        measured: `${formatUnits(writes)} WCU vs ${formatUnits(floor)} (${formatRatio(ratio)})`,
        met: ratio <= AIM_RATIO,
      })),
      ...summary.flatMap(({ result, writes, agentFloor, agentRatio }) =>
        result.scenario.name.startsWith('DaemonSet apply')
          ? [
              {
                aim: `${result.scenario.name}: writes ≤ ${ISSUE_11_APPLY_RATIO}x issue 11's floor (${result.scenario.agentFloorWhat}), i.e. ≤ 2.2 N`,
                measured: `${formatUnits(writes)} WCU vs ${formatUnits(agentFloor)} (${formatRatio(agentRatio)})`,
                met: agentRatio <= ISSUE_11_APPLY_RATIO,
              },
            ]
          : [],
      ),
    ],
    notes: [
      'WCU follow AWS pricing: one unit per started KB of the larger of the old and new item; twice that inside TransactWriteItems (prepare + commit; a ConditionCheck priced like a write of its item); one unit per started KB for every global-secondary-index entry written (keys plus projected attributes: byNode projects ALL, byKind only rejection bodies, the local index bySeq the write id of every node, revision, pod and status item and removal marker, or of the step log of a logged chunk instead of its items; an entry whose keys and projected attributes stay the same is not written), not doubled. DynamoDB Local misreports transactions (see the calibration table), so writes are priced from each request and a shadow of item sizes.',
      'RCU are what DynamoDB Local reports (strongly consistent: one unit per started 4 KB of items read; it reports 0 where AWS bills a 0.5 minimum for an empty result).',
      "The issue 11 floor counts, for each pod created or deleted and each status report, its item and its byNode entry (the agent's query needs it), plus the node item of a node fact; everything else an event writes (version guards, status, events, bySeq entries and step logs, transaction doubling) is above it.",
      'Each event runs from a settled cluster in its own table; "passes" counts reconcile messages handled until the queues were empty. Agents report only in the rolling update (there the reports\' writes are included).',
    ],
    figures: {
      scenarios: summary.map(({ result, total, per, writes, floor, ratio, agentFloor, agentRatio }) => ({
        name: result.scenario.name,
        per,
        floor,
        writes,
        ratio,
        agentFloor,
        agentRatio,
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
