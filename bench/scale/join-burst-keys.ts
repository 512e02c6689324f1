import { agentManifest, daemonSetApplied, nodeJoined } from '../dynamo/bench-manifests.js';
import { totalsOf } from '../dynamo/capacity-meter.js';
import { settle } from '../dynamo/cost-scenarios.js';
import type { DynamoHarness } from '../dynamo/dynamo-harness.js';
import { realisticNodes } from '../placement/realistic-nodes.js';
import type { Progress } from '../shared/bench-result.js';
import { formatCount } from '../shared/stats.js';
import { awsSpeedUp, type KeyPeak, type SpeedModel, topKeyPeaks } from './key-peaks.js';
import { gpuDaemonSets } from './measure-node-joins.js';

export type BurstFigures = Readonly<{
  nodes: number;
  daemonSets: number;
  wallMs: number;
  passes: number;
  readUnits: number;
  writeUnits: number;
  topRead: readonly KeyPeak[];
  topWrite: readonly KeyPeak[];
  /** How the per-key rates carry over to AWS. */
  speed: SpeedModel;
}>;

/**
 * `nodeCount` nodes join at once a cluster that has the GPU DaemonSets and one DaemonSet on every node;
 * ingest and reconcile take turns one batch each (as in the convergence join burst) until both queues are
 * empty. Every request's units are logged by partition key while it runs.
 */
export async function measureJoinBurst(
  harness: DynamoHarness,
  nodeCount: number,
  progress: Progress,
): Promise<BurstFigures> {
  progress(`scale: join burst of ${formatCount(nodeCount)} nodes (setting up)`);
  const pipeline = await harness.openPipeline(`scale-burst-${nodeCount}`);
  const manifests = [...gpuDaemonSets(), agentManifest('logs')];
  const now = pipeline.clock.now();
  await settle(
    pipeline,
    manifests.map((manifest) => daemonSetApplied(manifest, now)),
    false,
  );
  harness.meter.take();
  harness.meter.logKeys();
  pipeline.send(...realisticNodes(nodeCount).map((node) => nodeJoined(node, pipeline.clock.now())));
  const stats = await pipeline.drain({
    agents: false,
    interleave: true,
    progress: (line) => progress(`scale: join burst: ${line}`),
  });
  const log = harness.meter.takeKeyLog();
  const total = totalsOf(harness.meter.take().usage);
  return {
    nodes: nodeCount,
    daemonSets: manifests.length,
    wallMs: stats.wallMs,
    passes: stats.reconcileRecords,
    readUnits: total.readUnits,
    writeUnits: total.writeUnits + total.indexWriteUnits,
    topRead: topKeyPeaks(log, 'readUnits'),
    topWrite: topKeyPeaks(log, 'writeUnits'),
    speed: awsSpeedUp(log),
  };
}
