import { fromNode } from '../lib/manifest/from-node.js';
import type { IngestMessage, IngestQueue } from '../lib/messages/ingest-message.js';
import type { Node } from '../lib/model/node.js';
import type { ClusterStore } from '../lib/ports/cluster-store.js';
import type { HeartbeatStore, NodeHeartbeat } from '../lib/ports/heartbeat-store.js';
import {
  DEFAULT_NODE_GRACE_PERIOD_MS,
  type DueVerdict,
  dueVerdicts,
  type NodeLivenessChange,
  planNodeLiveness,
} from '../lib/reconcile/plan-node-liveness.js';

export type NodeLivenessDeps = Readonly<{
  store: Pick<ClusterStore, 'getNode'>;
  heartbeats: Pick<HeartbeatStore, 'list' | 'claimVerdict' | 'releaseVerdict'>;
  ingest: IngestQueue;
  gracePeriodMs?: number;
}>;

/**
 * One pass of the node lifecycle controller (a schedule runs it: the local control plane's timer, a scheduled
 * Lambda). It reads the heartbeat shards only and finds the nodes whose verdict must change (`dueVerdicts`);
 * each one is claimed with a conditional write on its heartbeat item, which fails if another pass claimed it
 * first or the node heartbeated (or its agent connected) since the list; only then is the node read and, if it
 * is not already as decided, sent as a `NodeUpdated` fact, so the change is stored, ordered and reconciled as any
 * node update is.
 * Overlapping passes thus write each change once, and a quiet cluster costs the shard reads alone.
 *
 * If the facts cannot be sent, the claims are given back so the next pass tries again, and the error is thrown
 * (the scheduler retries).
 */
export async function checkNodeLiveness(deps: NodeLivenessDeps, now: number): Promise<readonly NodeLivenessChange[]> {
  const gracePeriodMs = deps.gracePeriodMs ?? DEFAULT_NODE_GRACE_PERIOD_MS;
  const heartbeats = await deps.heartbeats.list();
  const due = dueVerdicts(heartbeats, now, gracePeriodMs);
  if (due.length === 0) return [];
  const at = new Date(now).toISOString();
  const cutoff = now - gracePeriodMs;
  const claims = await Promise.all(
    due.map(async (verdict) =>
      (await deps.heartbeats.claimVerdict(verdict.nodeName, verdict.verdict, cutoff, at)) ? verdict : undefined,
    ),
  );
  const claimed = claims.filter((claim): claim is DueVerdict => claim !== undefined);
  if (claimed.length === 0) return [];
  const byName = new Map<string, NodeHeartbeat>(heartbeats.map((heartbeat) => [heartbeat.nodeName, heartbeat]));
  const nodes = await Promise.all(claimed.map(({ nodeName }) => deps.store.getNode(nodeName)));
  const changes = planNodeLiveness(
    nodes.filter((node): node is Node => node !== undefined),
    claimed.flatMap(({ nodeName }) => byName.get(nodeName) ?? []),
    now,
    gracePeriodMs,
  );
  if (changes.length === 0) return changes;
  const messages: IngestMessage[] = changes.map(({ node }) => {
    const { resourceVersion: _version, ...fresh } = node;
    return { type: 'NodeUpdated', node: fromNode(fresh), observedAt: at };
  });
  try {
    await deps.ingest.send(messages);
  } catch (error) {
    await Promise.allSettled(
      claimed.map(({ nodeName, verdict }) => deps.heartbeats.releaseVerdict(nodeName, verdict, at)),
    );
    throw error;
  }
  return changes;
}
