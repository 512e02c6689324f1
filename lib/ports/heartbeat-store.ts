import type { AgentPresence } from '../model/agent-presence.js';

/**
 * The latest heartbeat of each node whose agent sends them (the kubelet's node Lease, reduced to its renew time),
 * and the node lifecycle controller's verdict on it: `unreachableSince` is set while the controller holds the node
 * unreachable (it tainted the node), so a check finds the nodes whose verdict must change from the heartbeats alone.
 * `presence` is there once the agent connected to AWS IoT Core (MQTT): the latest state of its connection.
 */
export type NodeHeartbeat = Readonly<{
  nodeName: string;
  /** The latest HTTP heartbeat or presence event, whichever is newer (RFC 3339). */
  renewTime: string;
  unreachableSince?: string;
  presence?: HeartbeatPresence;
}>;

/** The latest state of a node agent's MQTT connection, as its newest lifecycle event tells it. */
export type HeartbeatPresence = Readonly<{
  connected: boolean;
  /** RFC 3339: when it connected, or disconnected. */
  since: string;
  versionNumber: number;
  disconnectReason?: string;
}>;

/** A change of the lifecycle controller's verdict on a node. */
export type LivenessVerdict = 'unreachable' | 'recovered';

/**
 * Node heartbeats, one small item per node, apart from the node record: a heartbeat is a write of a few
 * dozen bytes (1 write unit) that never touches the node, its index entries or any DaemonSet.
 */
export interface HeartbeatStore {
  /** Records a heartbeat; an older one than the stored one changes nothing (conditional, idempotent). */
  renew(nodeName: string, renewTime: string): Promise<void>;
  /**
   * Records a connect or disconnect of the node's agent, if it is a later state of the connection than the stored
   * one (`supersedesPresence`: a redelivered, reordered or older event changes nothing); either counts as a
   * heartbeat at its time (`renew`), written first, so the item never shows a disconnect without its time.
   * Returns whether the stored presence changed.
   */
  recordPresence(presence: AgentPresence): Promise<boolean>;
  /** Every node's latest heartbeat. */
  list(): Promise<readonly NodeHeartbeat[]>;
  /** Forgets a node's heartbeat (the node was removed). */
  remove(nodeName: string): Promise<void>;
  /**
   * Claims a verdict change, in one conditional write, only while the heartbeat still supports it:
   * `unreachable` sets `unreachableSince = at` if the node's latest renew is older than `cutoff` (epoch ms), its
   * agent is not connected, and no verdict is held; `recovered` clears it if the latest renew is at or after `cutoff`
   * or the agent is connected, and a verdict is held.
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
