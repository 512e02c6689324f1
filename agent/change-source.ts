/**
 * Where a node agent learns that its node's pods may have changed, so it reads them at once instead of at its
 * next poll (docs/decisions/0007-node-agent-reaction-and-cost.md). A source says nothing about what changed: the
 * agent reads its pods through the API as always, so a lost or duplicated notice costs at most one read or one
 * fallback poll. While `connected` is false (not yet, or lost) the agent polls at its poll interval; while it is
 * true, the agent polls only every `fallbackPollIntervalMs`, for notices lost on the way.
 */
export interface ChangeSource {
  /** Starts listening; `onChange` is called for each notice (and once on every (re)connection: notices may have been missed). */
  start(onChange: () => void): void;
  /** Stops listening and closes the connection. */
  stop(): Promise<void>;
  /** Notices are being delivered now. */
  readonly connected: boolean;
  /** What it listens to, for the agent's log (`long-poll http://...`, `mqtt wss://...`). */
  readonly description: string;
}
