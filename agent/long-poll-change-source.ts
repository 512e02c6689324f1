import type { AgentHttpClient } from './agent-http-client.js';
import type { ChangeSource } from './change-source.js';

/** How long the control plane holds one request open when nothing changes (under the client's 30 s timeout). */
const WAIT_SECONDS = 20;
/** Retry after a failure: 1 s doubling to 30 s. */
const RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
/** A control plane without the route (the deployed API): ask again this much later, and poll meanwhile. */
const ABSENT_RETRY_MS = 300_000;

/**
 * Notices from the local control plane: `GET /v1/nodes/<name>/pods/changes?after=<token>` answers as soon as the
 * node's pods change after `token` (or after `timeoutSeconds` with the same token), so a change reaches the agent
 * within one request's round trip instead of a poll interval. One request is open at a time, on loopback it costs
 * nothing. The deployed API has no such route (a held request is paid by the millisecond there: AWS IoT Core is its
 * push channel); on a 404 (or any refusal) the source stays disconnected, so the agent polls, and asks again every
 * 5 minutes.
 */
export class LongPollChangeSource implements ChangeSource {
  readonly description: string;
  readonly #client: AgentHttpClient;
  readonly #path: string;
  readonly #log: (line: string) => void;
  readonly #aborted = new AbortController();
  #connected = false;
  #loop: Promise<void> | undefined;

  constructor(client: AgentHttpClient, nodeName: string, log: (line: string) => void = () => {}) {
    this.#client = client;
    this.#path = `/v1/nodes/${encodeURIComponent(nodeName)}/pods/changes`;
    this.#log = log;
    this.description = `long-poll ${client.endpoint.url}${this.#path}`;
  }

  get connected(): boolean {
    return this.#connected;
  }

  start(onChange: () => void): void {
    this.#loop ??= this.#run(onChange);
  }

  async stop(): Promise<void> {
    this.#aborted.abort();
    await this.#loop;
  }

  async #run(onChange: () => void): Promise<void> {
    const signal = this.#aborted.signal;
    let token: string | undefined;
    let failures = 0;
    while (!signal.aborted) {
      const query = new URLSearchParams({ timeoutSeconds: String(WAIT_SECONDS) });
      if (token !== undefined) query.set('after', token);
      let waitMs = 0;
      try {
        const response = await this.#client.send('GET', `${this.#path}?${query}`, undefined, signal);
        const answered = (response.body as { token?: unknown } | undefined)?.token;
        if (response.status === 200 && typeof answered === 'string') {
          if (!this.#connected || failures > 0) this.#log(`pod changes: listening (${this.description})`);
          failures = 0;
          this.#connected = true;
          // The first answer, and one after a gap, may hide changes: the agent reads its pods either way.
          if (answered !== token) onChange();
          token = answered;
          continue;
        }
        this.#connected = false;
        token = undefined;
        if (response.status >= 400 && response.status < 500) {
          // No such route (the deployed API: 404), or not for this agent (an IAM policy without it: 403): that does
          // not change in seconds, and each try is a paid request there.
          if (response.status === 404) this.#log('pod changes: the control plane has no change feed; polling');
          else this.#log(`pod changes: refused (HTTP ${response.status}); polling`);
          waitMs = ABSENT_RETRY_MS;
        } else {
          failures += 1;
          waitMs = Math.min(RETRY_MS * 2 ** (failures - 1), MAX_RETRY_MS);
        }
      } catch (error) {
        if (signal.aborted) break;
        if (this.#connected || failures === 0) {
          this.#log(`pod changes: ${error instanceof Error ? error.message : String(error)}; polling until back`);
        }
        this.#connected = false;
        token = undefined;
        failures += 1;
        waitMs = Math.min(RETRY_MS * 2 ** (failures - 1), MAX_RETRY_MS);
      }
      await sleep(waitMs, signal);
    }
    this.#connected = false;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    timer.unref();
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
