import { cpus, loadavg } from 'node:os';
import { DashboardService, storeParts, storeSource } from '../../dashboard/dashboard-service.js';
import type { Pod } from '../../lib/model/pod.js';
import { observeStoreChanges } from '../../lib/store/observe-store-changes.js';
import { agentManifest } from '../dynamo/bench-manifests.js';
import { cluster } from '../dynamo/cost-scenarios.js';
import { startDynamoHarness } from '../dynamo/dynamo-harness.js';
import type { Benchmark, BenchOptions, BenchResult, Progress } from '../shared/bench-result.js';
import { formatCount, formatMs, median } from '../shared/stats.js';

const DAEMON_SETS = 5;
const REPORTS = 9;
const BATCH = 200;

/**
 * The dashboard on DynamoDB Local: the production store seeded through the real handlers (nodes joined,
 * DaemonSets applied, every pod Running and Ready), then what the dashboard service pays to follow it: a full
 * read and first view, one pod report told and applied, and a batch of reports that makes it read a
 * DaemonSet whole.
 */
export const dashboardDynamoBenchmark: Benchmark = {
  name: 'dashboard-dynamo',
  title: 'The fleet dashboard on DynamoDB Local: full read against the changes it is told of',
  run: runDashboardDynamo,
};

type Run = Readonly<{
  nodes: number;
  pods: number;
  seedMs: number;
  fullReadMs: number;
  firstViewMs: number;
  reportMs: number;
  batchMs: number;
}>;

async function runDashboardDynamo(options: BenchOptions, progress: Progress): Promise<BenchResult> {
  const sizes = options.quick ? [100] : [500];
  const loadBefore = loadavg();
  const harness = await startDynamoHarness();
  const runs: Run[] = [];
  try {
    for (const nodes of sizes) {
      progress(
        `dashboard-dynamo: seeding ${formatCount(nodes)} nodes × ${DAEMON_SETS} DaemonSets through the handlers`,
      );
      const pipeline = await harness.openPipeline(`dashboard-${nodes}`);
      let started = performance.now();
      await cluster(
        pipeline,
        nodes,
        Array.from({ length: DAEMON_SETS }, (_, index) => agentManifest(`agent-${index}`)),
      );
      const seedMs = performance.now() - started;
      let service: DashboardService | undefined;
      const store = observeStoreChanges(pipeline.store, (changes) => service?.changed(changes));
      service = new DashboardService({ load: storeSource(store), parts: storeParts(store), watchMs: 0 });
      started = performance.now();
      const input = await storeSource(store)();
      const fullReadMs = performance.now() - started;
      started = performance.now();
      await service.view();
      const firstViewMs = performance.now() - started;
      const pods = input.pods.filter((pod) => pod.daemonSet === 'observability/agent-0');
      progress(`dashboard-dynamo: ${REPORTS} pod reports, then ${BATCH} at once`);
      const reports: number[] = [];
      // Newer than any report stored while seeding (the pipeline's clock runs ahead, skipping delays).
      let at = Math.max(Date.now(), pipeline.clock.now()) + 60_000;
      const report = async (pod: Pod, ready: boolean): Promise<void> => {
        at += 1_000;
        await store.putPodStatus({
          namespace: 'observability',
          daemonSet: 'agent-0',
          podName: pod.name,
          nodeName: pod.nodeName,
          revisionHash: pod.revisionHash,
          phase: 'Running',
          ready,
          ...(ready ? { readySince: new Date(at).toISOString() } : {}),
          observedAt: new Date(at).toISOString(),
        });
      };
      // Pods reported not ready leave `current` (for `pending`, or `failed` once they count as crash-looping).
      const notReady = async () =>
        -(
          (await service?.view())?.columns.find((column) => column.key === 'observability/agent-0')?.summary.states
            .current ?? Number.NaN
        );
      for (const pod of pods.slice(0, REPORTS)) {
        const before = await notReady();
        started = performance.now();
        await report(pod, false);
        await service.settled();
        reports.push(performance.now() - started);
        if ((await notReady()) !== before + 1) throw new Error('the dashboard did not show the pod report');
      }
      const batch = pods.slice(REPORTS, REPORTS + BATCH);
      const before = await notReady();
      started = performance.now();
      await Promise.all(batch.map((pod) => report(pod, false)));
      await service.settled();
      const batchMs = performance.now() - started;
      if ((await notReady()) !== before + batch.length) throw new Error('the dashboard did not show the batch');
      await service.close();
      runs.push({
        nodes,
        pods: input.pods.length,
        seedMs,
        fullReadMs,
        firstViewMs,
        reportMs: median(reports),
        batchMs,
      });
    }
  } finally {
    await harness.stop();
  }
  const loadAfter = loadavg();
  return {
    name: 'dashboard-dynamo',
    title: dashboardDynamoBenchmark.title,
    tables: [
      {
        title: `DynamoDB Local (in memory, same machine), ${DAEMON_SETS} DaemonSets, every pod Running and Ready`,
        columns: [
          'nodes',
          'pods',
          'seed (handlers)',
          'full read (storeSource)',
          'first view (read + build)',
          `one pod report: write → shown (median of ${REPORTS})`,
          `${BATCH} reports at once: writes → shown`,
        ],
        rows: runs.map((run) => [
          formatCount(run.nodes),
          formatCount(run.pods),
          formatMs(run.seedMs),
          formatMs(run.fullReadMs),
          formatMs(run.firstViewMs),
          formatMs(run.reportMs),
          formatMs(run.batchMs),
        ]),
      },
    ],
    aims: [],
    notes: [
      `Load average (1, 5, 15 min) before: ${loadBefore.map((value) => value.toFixed(2)).join(', ')}; after: ${loadAfter.map((value) => value.toFixed(2)).join(', ')} (${cpus().length} CPUs; other jobs share the machine).`,
      'Write → shown: from the store write (through observeStoreChanges, as the local control plane wires it) until the service has read what it changed and its view shows it; the page then sees it at its next poll (250 ms).',
      `A batch of more than maxCellReads (64) changed nodes of one DaemonSet reads that DaemonSet's pods whole (one query) instead of one read per node.`,
    ],
    figures: { runs },
  };
}
