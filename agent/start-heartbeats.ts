export type HeartbeatOptions = Readonly<{
  /** Renews the node's heartbeat; false when the node is gone. */
  heartbeat: () => Promise<boolean>;
  /** Registers the node again; resolves to what happened (`registered`, `updated`). */
  register: () => Promise<string>;
  /** A registration is still on its way: a heartbeat that finds no node does not register it again. */
  settling: () => boolean;
  /** How often the node heartbeats (`--heartbeat-interval`). */
  intervalMs: number;
  /**
   * While `while()` holds (the push connection is up: on AWS the broker's presence events tell the control plane
   * the node is alive), heartbeat only every `intervalMs` of this instead (`--fallback-poll-interval`).
   */
  relaxed?: Readonly<{ intervalMs: number; while: () => boolean }>;
  log: (line: string) => void;
}>;

/**
 * Renews the node's heartbeat every `intervalMs` (the first at once), or every `relaxed.intervalMs` while
 * `relaxed.while()`; it looks every `intervalMs`, so a lost push connection brings the heartbeats back within one
 * interval. A node removed while the agent runs is registered again, as the kubelet does (unless `settling`);
 * failures are logged once until the next success.
 */
export function startHeartbeats(options: HeartbeatOptions): { stop(): void } {
  let failing = false;
  let inFlight = false;
  let lastBeatAt = Number.NEGATIVE_INFINITY;
  const beat = async (): Promise<void> => {
    if (inFlight) return;
    inFlight = true;
    try {
      if (!(await options.heartbeat())) {
        if (options.settling()) return;
        options.log(`node not found: registering it again (${await options.register()})`);
        await options.heartbeat();
      }
      if (failing) options.log('heartbeats are getting through again');
      failing = false;
    } catch (error) {
      if (!failing) {
        options.log(`heartbeat failed (retrying): ${error instanceof Error ? error.message : String(error)}`);
      }
      failing = true;
    } finally {
      inFlight = false;
    }
  };
  const tick = (): void => {
    const { relaxed } = options;
    // Half a tick early rather than a whole tick late: the relaxed interval is kept to within half a tick.
    if (relaxed?.while() === true && Date.now() - lastBeatAt < relaxed.intervalMs - options.intervalMs / 2) return;
    lastBeatAt = Date.now();
    void beat();
  };
  tick();
  const timer = setInterval(tick, options.intervalMs);
  return { stop: () => clearInterval(timer) };
}
