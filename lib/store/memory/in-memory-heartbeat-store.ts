import type { HeartbeatStore, NodeHeartbeat } from '../../ports/heartbeat-store.js';

/** Heartbeats in a map, with the DynamoDB adapter's semantics (an older renew time changes nothing). */
export class InMemoryHeartbeatStore implements HeartbeatStore {
  readonly #renewTimes = new Map<string, string>();

  async renew(nodeName: string, renewTime: string): Promise<void> {
    const stored = this.#renewTimes.get(nodeName);
    if (stored === undefined || Date.parse(stored) < Date.parse(renewTime)) this.#renewTimes.set(nodeName, renewTime);
  }

  async list(): Promise<readonly NodeHeartbeat[]> {
    return [...this.#renewTimes].map(([nodeName, renewTime]) => ({ nodeName, renewTime }));
  }

  async remove(nodeName: string): Promise<void> {
    this.#renewTimes.delete(nodeName);
  }
}
