import { type AgentPresence, supersedesPresence } from '../../model/agent-presence.js';
import type { HeartbeatPresence, HeartbeatStore, LivenessVerdict, NodeHeartbeat } from '../../ports/heartbeat-store.js';

type Entry = { renewTime: string; unreachableSince?: string; presence?: HeartbeatPresence };

/** Heartbeats in a map, with the DynamoDB adapter's semantics (an older renew time changes nothing). */
export class InMemoryHeartbeatStore implements HeartbeatStore {
  readonly #entries = new Map<string, Entry>();

  async renew(nodeName: string, renewTime: string): Promise<void> {
    const stored = this.#entries.get(nodeName);
    if (stored === undefined) this.#entries.set(nodeName, { renewTime });
    else if (Date.parse(stored.renewTime) < Date.parse(renewTime)) stored.renewTime = renewTime;
  }

  async recordPresence(presence: AgentPresence): Promise<boolean> {
    await this.renew(presence.nodeName, presence.time);
    const entry = this.#entries.get(presence.nodeName);
    if (entry === undefined) return false; // removed in between: as the adapter, the next event starts again
    const stored = entry.presence;
    const incoming = {
      connected: presence.connected,
      at: Date.parse(presence.time),
      versionNumber: presence.versionNumber,
    };
    const current =
      stored === undefined
        ? undefined
        : { connected: stored.connected, at: Date.parse(stored.since), versionNumber: stored.versionNumber };
    if (!supersedesPresence(incoming, current)) return false;
    entry.presence = {
      connected: presence.connected,
      since: presence.time,
      versionNumber: presence.versionNumber,
      ...(presence.disconnectReason === undefined ? {} : { disconnectReason: presence.disconnectReason }),
    };
    return true;
  }

  async list(): Promise<readonly NodeHeartbeat[]> {
    return [...this.#entries].map(([nodeName, { renewTime, unreachableSince, presence }]) => ({
      nodeName,
      renewTime,
      ...(unreachableSince === undefined ? {} : { unreachableSince }),
      ...(presence === undefined ? {} : { presence }),
    }));
  }

  async remove(nodeName: string): Promise<void> {
    this.#entries.delete(nodeName);
  }

  async claimVerdict(nodeName: string, verdict: LivenessVerdict, cutoff: number, at: string): Promise<boolean> {
    const entry = this.#entries.get(nodeName);
    if (entry === undefined) return false;
    const stale = Date.parse(entry.renewTime) < cutoff && entry.presence?.connected !== true;
    if (verdict === 'unreachable') {
      if (!stale || entry.unreachableSince !== undefined) return false;
      entry.unreachableSince = at;
      return true;
    }
    if (stale || entry.unreachableSince === undefined) return false;
    delete entry.unreachableSince;
    return true;
  }

  async releaseVerdict(nodeName: string, verdict: LivenessVerdict, at: string): Promise<void> {
    const entry = this.#entries.get(nodeName);
    if (entry === undefined) return;
    if (verdict === 'unreachable' && entry.unreachableSince === at) delete entry.unreachableSince;
    if (verdict === 'recovered' && entry.unreachableSince === undefined) entry.unreachableSince = at;
  }
}
