/** The latest heartbeat of each node whose agent sends them (the kubelet's node Lease, reduced to its renew time). */
export type NodeHeartbeat = Readonly<{ nodeName: string; renewTime: string }>;

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
}
