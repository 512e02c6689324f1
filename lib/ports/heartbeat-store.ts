/**
 * The latest heartbeat of each node whose agent sends them (the kubelet's node Lease, reduced to its renew time),
 * and the node lifecycle controller's verdict on it: `unreachableSince` is set while the controller holds the node
 * unreachable (it tainted the node), so a check finds the nodes whose verdict must change from the heartbeats alone.
 */
export type NodeHeartbeat = Readonly<{ nodeName: string; renewTime: string; unreachableSince?: string }>;

/** A change of the lifecycle controller's verdict on a node. */
export type LivenessVerdict = 'unreachable' | 'recovered';

/**
 * Node heartbeats, one small item per node, apart from the node record: a heartbeat is a write of a few
 * dozen bytes (1 write unit) that never touches the node, its index entries or any DaemonSet.
 */
export interface HeartbeatStore {
  /** Records a heartbeat; an older one than the stored one changes nothing (conditional, idempotent). */
  renew(nodeName: string, renewTime: string): Promise<void>;
  /** Every node's latest heartbeat. */
  list(): Promise<readonly NodeHeartbeat[]>;
  /** Forgets a node's heartbeat (the node was removed). */
  remove(nodeName: string): Promise<void>;
  /**
   * Claims a verdict change, in one conditional write, only while the heartbeat still supports it:
   * `unreachable` sets `unreachableSince = at` if the node's latest renew is older than `cutoff` (epoch ms) and no
   * verdict is held; `recovered` clears it if the latest renew is at or after `cutoff` and a verdict is held.
   * Returns whether this call made the change: of two concurrent checks only one wins, and a heartbeat renewed
   * after the check listed it makes the claim fail.
   */
  claimVerdict(nodeName: string, verdict: LivenessVerdict, cutoff: number, at: string): Promise<boolean>;
  /**
   * Gives back a claim whose node fact could not be sent, so the next check tries again: `unreachable` clears the
   * verdict if it is still the one set `at`; `recovered` sets `unreachableSince = at` again if no verdict is held.
   */
  releaseVerdict(nodeName: string, verdict: LivenessVerdict, at: string): Promise<void>;
}
