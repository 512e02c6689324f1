import type { IngestMessage } from '../../lib/messages/ingest-message.js';
import { realisticNodes } from '../placement/realistic-nodes.js';
import { agentManifest, daemonSetApplied, nodeJoined, nodeRemoved } from './bench-manifests.js';
import type { BenchPipeline } from './bench-pipeline.js';

/** One event whose DynamoDB cost is measured, from a prepared, settled cluster. */
export type CostScenario = Readonly<{
  name: string;
  /** Write units if every pod item created or deleted cost exactly one and nothing else was written. */
  floor: number;
  floorWhat: string;
  /**
   * Issue 11's floor: what the event cannot do with less, counting the one index entry an agent's query needs.
   * Each pod created or deleted is its item write (1) and its `byNode` entry written or removed (1); a status
   * report the same (the agent's listing carries statuses); a node fact its node item (2 units for a 1.5 KB node,
   * 1 for a tombstone). Status, events and version guards are not in it: the ratio shows what they cost.
   */
  agentFloor: number;
  agentFloorWhat: string;
  /** Builds the state before the event (not measured). */
  setup: (pipeline: BenchPipeline) => Promise<void>;
  /** The event, sent to the ingest queue. */
  event: (pipeline: BenchPipeline) => readonly IngestMessage[];
  /** Whether simulated agents report on pods while the event is processed. */
  agents: boolean;
  /** Divides the measured totals (a rollout of ten waves reports per wave). */
  per?: Readonly<{ count: number; unit: string }>;
}>;

const SMALL_CLUSTER = 20;
const agents = (count: number) => Array.from({ length: count }, (_, index) => agentManifest(`agent-${index}`));

/** Setup: sends facts and drains; with agents, every created pod is then stored Running and Ready. */
export async function settle(
  pipeline: BenchPipeline,
  messages: readonly IngestMessage[],
  withAgents = true,
): Promise<void> {
  pipeline.send(...messages);
  await pipeline.drain({ agents: false });
  if (withAgents) await pipeline.settleAgents(daemonSetKeys(messages));
}

function daemonSetKeys(messages: readonly IngestMessage[]): string[] {
  return messages.flatMap((message) => {
    if (message.type !== 'DaemonSetApplied') return [];
    const metadata = message.manifest['metadata'] as { namespace?: string; name?: string } | undefined;
    return [`${metadata?.namespace ?? 'default'}/${metadata?.name ?? ''}`];
  });
}

/** Setup: `nodeCount` realistic nodes, then the DaemonSets, settled. */
export async function cluster(
  pipeline: BenchPipeline,
  nodeCount: number,
  daemonSets: readonly Record<string, unknown>[],
  withAgents = true,
) {
  const now = pipeline.clock.now();
  await settle(
    pipeline,
    realisticNodes(nodeCount).map((node) => nodeJoined(node, now)),
    false,
  );
  await settle(
    pipeline,
    daemonSets.map((manifest) => daemonSetApplied(manifest, now)),
    withAgents,
  );
}

const joinScenario = (daemonSets: number): CostScenario => ({
  name: `node join, ${daemonSets} matching DaemonSet${daemonSets === 1 ? '' : 's'}`,
  floor: daemonSets,
  floorWhat: `${daemonSets} pod${daemonSets === 1 ? '' : 's'} created`,
  agentFloor: 2 * daemonSets + 2,
  agentFloorWhat: `${daemonSets} pod${daemonSets === 1 ? '' : 's'} and ${daemonSets === 1 ? 'its' : 'their'} byNode entr${daemonSets === 1 ? 'y' : 'ies'}, the node item`,
  setup: (pipeline) => cluster(pipeline, SMALL_CLUSTER, agents(daemonSets)),
  event: (pipeline) => {
    const newcomer = realisticNodes(SMALL_CLUSTER + 1).at(-1);
    return newcomer === undefined ? [] : [nodeJoined(newcomer, pipeline.clock.now())];
  },
  agents: false,
});

const removalScenario = (daemonSets: number): CostScenario => ({
  name: `node removal, ${daemonSets} DaemonSet${daemonSets === 1 ? '' : 's'} on it`,
  floor: daemonSets,
  floorWhat: `${daemonSets} pod${daemonSets === 1 ? '' : 's'} deleted`,
  agentFloor: 2 * daemonSets + 1,
  agentFloorWhat: `${daemonSets} pod${daemonSets === 1 ? '' : 's'} and ${daemonSets === 1 ? 'its' : 'their'} byNode entr${daemonSets === 1 ? 'y' : 'ies'} removed, the node tombstone`,
  setup: (pipeline) => cluster(pipeline, SMALL_CLUSTER, agents(daemonSets)),
  event: (pipeline) => {
    const leaving = realisticNodes(SMALL_CLUSTER).at(-1);
    return leaving === undefined ? [] : [nodeRemoved(leaving.name, pipeline.clock.now())];
  },
  agents: false,
});

const applyScenario = (nodeCount: number): CostScenario => ({
  name: `DaemonSet apply on ${nodeCount} nodes`,
  floor: nodeCount,
  floorWhat: `${nodeCount} pods created`,
  agentFloor: 2 * nodeCount,
  agentFloorWhat: `${nodeCount} pods and their byNode entries`,
  setup: (pipeline) => cluster(pipeline, nodeCount, []),
  event: (pipeline) => [daemonSetApplied(agentManifest('agent-0'), pipeline.clock.now())],
  agents: false,
});

const rolloutScenario = (nodeCount: number): CostScenario => ({
  name: `rolling update on ${nodeCount} nodes, maxUnavailable 10%, per wave`,
  floor: 2 * nodeCount,
  floorWhat: 'one pod deleted and one created per node',
  agentFloor: 6 * nodeCount,
  agentFloorWhat:
    'per node: one pod deleted and one created with their byNode entries, one Ready report with its entry',
  setup: (pipeline) => cluster(pipeline, nodeCount, agents(1)),
  event: (pipeline) => [
    daemonSetApplied(
      agentManifest('agent-0', { image: 'cr.fluentbit.io/fluent/fluent-bit:3.2.0' }),
      pipeline.clock.now(),
    ),
  ],
  agents: true,
  per: { count: 10, unit: 'wave' },
});

const statusScenario: CostScenario = {
  name: 'pod status report (a pod turns Ready)',
  floor: 1,
  floorWhat: 'the status written',
  agentFloor: 2,
  agentFloorWhat: 'the status and its byNode entry',
  setup: (pipeline) => cluster(pipeline, SMALL_CLUSTER, agents(1), false),
  event: (pipeline) => {
    const [step] = pipeline.store.applied;
    const action = step?.actions.find((candidate) => candidate.kind === 'createPod');
    if (action?.kind !== 'createPod') return [];
    const observedAt = new Date(pipeline.clock.now()).toISOString();
    const report = {
      namespace: 'observability',
      daemonSet: 'agent-0',
      podName: action.podName,
      nodeName: action.nodeName,
      revisionHash: action.revisionHash,
      phase: 'Running',
      ready: true,
      readySince: observedAt,
      observedAt,
    } as const;
    return [{ type: 'PodStatusReported', report }];
  },
  agents: false,
};

/** The events of issue 7.3, smaller with `--quick`. */
export function costScenarios(quick: boolean): readonly CostScenario[] {
  return [
    joinScenario(1),
    joinScenario(10),
    removalScenario(1),
    removalScenario(10),
    applyScenario(100),
    applyScenario(quick ? 300 : 1000),
    rolloutScenario(100),
    statusScenario,
  ];
}
