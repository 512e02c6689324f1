import type { HeartbeatStore, LivenessVerdict, NodeHeartbeat } from '../../ports/heartbeat-store.js';

type Entry = { renewTime: string; unreachableSince?: string };

/** Heartbeats in a map, with the DynamoDB adapter's semantics (an older renew time changes nothing). */
export class InMemoryHeartbeatStore implements HeartbeatStore {
  readonly #entries = new Map<string, Entry>();

  async renew(nodeName: string, renewTime: string): Promise<void> {
    const stored = this.#entries.get(nodeName);
    if (stored === undefined) this.#entries.set(nodeName, { renewTime });
    else if (Date.parse(stored.renewTime) < Date.parse(renewTime)) stored.renewTime = renewTime;
  }

  async list(): Promise<readonly NodeHeartbeat[]> {
    return [...this.#entries].map(([nodeName, { renewTime, unreachableSince }]) => ({
      nodeName,
      renewTime,
      ...(unreachableSince === undefined ? {} : { unreachableSince }),
    }));
  }

  async remove(nodeName: string): Promise<void> {
    this.#entries.delete(nodeName);
  }

  async claimVerdict(nodeName: string, verdict: LivenessVerdict, cutoff: number, at: string): Promise<boolean> {
    const entry = this.#entries.get(nodeName);
    if (entry === undefined) return false;
    const stale = Date.parse(entry.renewTime) < cutoff;
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
