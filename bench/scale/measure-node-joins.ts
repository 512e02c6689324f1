import { WRITE_LAG_MS } from '../../infra/sizing.js';
import { toDaemonSet } from '../../lib/manifest/to-daemon-set.js';
import type { DaemonSetKey } from '../../lib/model/daemon-set.js';
import type { Node } from '../../lib/model/node.js';
import { placementAnswers } from '../../lib/placement/placement-answers.js';
import { agentManifest, nodeJoined } from '../dynamo/bench-manifests.js';
import type { BenchPipeline } from '../dynamo/bench-pipeline.js';
import { totalsOf } from '../dynamo/capacity-meter.js';
import { cluster } from '../dynamo/cost-scenarios.js';
import type { DynamoHarness } from '../dynamo/dynamo-harness.js';
import { realisticNodes } from '../placement/realistic-nodes.js';
import type { Progress } from '../shared/bench-result.js';
import { formatCount, median } from '../shared/stats.js';

/** D: the DaemonSets a GPU node's join concerns, all with `nodeSelector: nvidia.com/gpu.present=true`. */
export const GPU_DAEMON_SETS = 5;

export const gpuDaemonSets = (count = GPU_DAEMON_SETS): readonly Record<string, unknown>[] =>
  Array.from({ length: count }, (_, index) =>
    agentManifest(`gpu-agent-${index}`, { nodeSelector: { 'nvidia.com/gpu.present': 'true' } }),
  );

const keyOf = (manifest: Record<string, unknown>): DaemonSetKey => {
  const metadata = manifest['metadata'] as { namespace: string; name: string };
  return `${metadata.namespace}/${metadata.name}`;
};

/** What one node join cost, from the fact sent to the queues empty. */
export type JoinFigures = Readonly<{
  readUnits: number;
  writeUnits: number;
  passes: number;
  /** Join sent → every DaemonSet has a pod desired on the node (read as its agent would). */
  desiredMs: number;
  /** Join sent → both queues empty. */
  emptyMs: number;
}>;

/** A no-op pass over one DaemonSet of a settled cluster, as the periodic resync causes. */
export type PassFigures = Readonly<{ readUnits: number; writeUnits: number }>;

export type SizeFigures = Readonly<{
  nodes: number;
  joins: readonly JoinFigures[];
  /** Median of each figure over the joins. */
  join: JoinFigures;
  resyncPass: PassFigures;
}>;

/**
 * At `nodeCount` nodes with the GPU DaemonSets settled (pods Running and Ready), `joins` GPU nodes join one
 * after another; each is measured from a settled cluster (the previous newcomer's pods are made ready, not
 * measured). Then one resync, whose passes are measured too.
 */
export async function measureNodeJoins(
  harness: DynamoHarness,
  nodeCount: number,
  joins: number,
  progress: Progress,
): Promise<SizeFigures> {
  const manifests = gpuDaemonSets();
  const keys = manifests.map(keyOf);
  progress(`scale: ${formatCount(nodeCount)} nodes, ${manifests.length} GPU DaemonSets (setting up)`);
  const pipeline = await harness.openPipeline(`scale-join-${nodeCount}`);
  await cluster(pipeline, nodeCount, manifests);
  await settle(pipeline);
  const figures: JoinFigures[] = [];
  for (const node of newGpuNodes(nodeCount, joins, manifests)) {
    progress(`scale: ${formatCount(nodeCount)} nodes: join ${figures.length + 1} of ${joins}`);
    harness.meter.take();
    figures.push(await joinOnce(harness, pipeline, node, manifests.length));
    await pipeline.settleAgents(keys);
  }
  harness.meter.take();
  await pipeline.resync();
  await pipeline.drain({ agents: false });
  const resync = totalsOf(harness.meter.take().usage);
  const pick = (figure: keyof JoinFigures) => median(figures.map((join) => join[figure]));
  return {
    nodes: nodeCount,
    joins: figures,
    join: {
      readUnits: pick('readUnits'),
      writeUnits: pick('writeUnits'),
      passes: pick('passes'),
      desiredMs: pick('desiredMs'),
      emptyMs: pick('emptyMs'),
    },
    resyncPass: {
      readUnits: resync.readUnits / keys.length,
      writeUnits: (resync.writeUnits + resync.indexWriteUnits) / keys.length,
    },
  };
}

/**
 * A settled cluster has been quiet for a while and its functions are warm: the bench clock skips past the
 * stores' look-back window (`WRITE_LAG_MS`, the stack's: a warm read asks for every write of the 2 minutes before its last
 * read, so right after seeding it would list the whole cluster again) and one resync, unmeasured, lets the
 * stores read everything once.
 */
async function settle(pipeline: BenchPipeline): Promise<void> {
  pipeline.clock.skipTo(pipeline.clock.now() + WRITE_LAG_MS + 60_000);
  await pipeline.resync();
  await pipeline.drain({ agents: false });
}

async function joinOnce(
  harness: DynamoHarness,
  pipeline: BenchPipeline,
  node: Node,
  daemonSets: number,
): Promise<JoinFigures> {
  let desiredMs: number | undefined;
  const start = performance.now();
  // `watch` time is left out of the drain's clock, so the time of the check itself is subtracted here too.
  let checking = 0;
  pipeline.send(nodeJoined(node, pipeline.clock.now()));
  const stats = await pipeline.drain({
    agents: false,
    watch: async () => {
      if (desiredMs !== undefined) return;
      const began = performance.now();
      const pods = await harness.meter.uncounted(() => pipeline.store.listPodsOnNode(node.name));
      if (pods.filter((pod) => pod.deletionTimestamp === undefined).length >= daemonSets) {
        desiredMs = began - start - checking;
      }
      checking += performance.now() - began;
    },
  });
  const total = totalsOf(harness.meter.take().usage);
  return {
    readUnits: total.readUnits,
    writeUnits: total.writeUnits + total.indexWriteUnits,
    passes: stats.reconcileRecords,
    desiredMs: desiredMs ?? Number.NaN,
    emptyMs: stats.wallMs,
  };
}

/** GPU nodes beyond the first `nodeCount` of the seeded fleet on which every one of the DaemonSets places a pod. */
function newGpuNodes(nodeCount: number, count: number, manifests: readonly Record<string, unknown>[]): Node[] {
  const placements = manifests.map((manifest) => {
    const parsed = toDaemonSet(manifest);
    if (!parsed.ok) throw new Error(`benchmark manifest is invalid: ${JSON.stringify(parsed.errors)}`);
    return parsed.value.placement;
  });
  const found = realisticNodes(nodeCount + 40 * count + 200)
    .slice(nodeCount)
    .filter((node) => placements.every((placement) => placementAnswers(node, placement).shouldRun))
    .slice(0, count);
  if (found.length < count) throw new Error(`only ${found.length} joinable GPU nodes after ${nodeCount}`);
  return found;
}
