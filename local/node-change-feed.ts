import { randomUUID } from 'node:crypto';

/** The longest a request may wait: well under the agent's 30 s request timeout. */
export const MAX_WAIT_SECONDS = 25;

/**
 * Which nodes' pods changed, as tokens agents can wait on: the local control plane's push to real node agents
 * (`GET /v1/nodes/<name>/pods/changes`). Each node's token changes whenever a stored write changes its desired pods
 * (`observeStoreChanges`' `pods` changes). A token carries this process's epoch, so an agent that waited on a
 * previous run's token is answered at once.
 */
export class NodeChangeFeed {
  readonly #epoch = randomUUID().slice(0, 8);
  readonly #sequence = new Map<string, number>();
  readonly #waiting = new Map<string, Set<() => void>>();

  tokenOf(nodeName: string): string {
    return `${this.#epoch}.${this.#sequence.get(nodeName) ?? 0}`;
  }

  /** The pods of these nodes changed: their tokens move on and their waiters are answered. */
  podsChanged(nodeNames: Iterable<string>): void {
    for (const name of new Set(nodeNames)) {
      this.#sequence.set(name, (this.#sequence.get(name) ?? 0) + 1);
      const waiters = this.#waiting.get(name);
      this.#waiting.delete(name);
      for (const wake of waiters ?? []) wake();
    }
  }

  /** Resolves to the node's token once it differs from `after`, or after `timeoutMs`, or when `signal` aborts. */
  wait(nodeName: string, after: string | undefined, timeoutMs: number, signal: AbortSignal): Promise<string> {
    if (after !== this.tokenOf(nodeName) || signal.aborted) return Promise.resolve(this.tokenOf(nodeName));
    return new Promise((resolve) => {
      const waiters = this.#waiting.get(nodeName) ?? new Set<() => void>();
      this.#waiting.set(nodeName, waiters);
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        waiters.delete(done);
        if (waiters.size === 0 && this.#waiting.get(nodeName) === waiters) this.#waiting.delete(nodeName);
        resolve(this.tokenOf(nodeName));
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done, { once: true });
      waiters.add(done);
    });
  }

  /** Answers every waiter (the control plane is stopping). */
  close(): void {
    for (const waiters of [...this.#waiting.values()]) for (const wake of [...waiters]) wake();
  }
}
