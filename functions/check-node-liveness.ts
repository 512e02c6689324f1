import { fromNode } from '../lib/manifest/from-node.js';
import type { IngestMessage, IngestQueue } from '../lib/messages/ingest-message.js';
import type { ClusterStore } from '../lib/ports/cluster-store.js';
import type { HeartbeatStore } from '../lib/ports/heartbeat-store.js';
import { type NodeLivenessChange, planNodeLiveness } from '../lib/reconcile/plan-node-liveness.js';

export type NodeLivenessDeps = Readonly<{
  store: Pick<ClusterStore, 'listNodes'>;
  heartbeats: Pick<HeartbeatStore, 'list'>;
  ingest: IngestQueue;
  gracePeriodMs?: number;
}>;

/**
 * One pass of the node lifecycle controller: reads every node and every heartbeat, and sends the nodes
 * whose heartbeats stopped (or came back) as `NodeUpdated` facts, so the change is stored, ordered and
 * reconciled as any node update is. Run periodically (the local control plane's timer; a scheduled Lambda).
 */
export async function checkNodeLiveness(deps: NodeLivenessDeps, now: number): Promise<readonly NodeLivenessChange[]> {
  const [nodes, heartbeats] = await Promise.all([deps.store.listNodes(), deps.heartbeats.list()]);
  const changes = planNodeLiveness(nodes, heartbeats, now, deps.gracePeriodMs);
  if (changes.length === 0) return changes;
  const observedAt = new Date(now).toISOString();
  const messages: IngestMessage[] = changes.map(({ node }) => {
    const { resourceVersion: _version, ...fresh } = node;
    return { type: 'NodeUpdated', node: fromNode(fresh), observedAt };
  });
  await deps.ingest.send(messages);
  return changes;
}
