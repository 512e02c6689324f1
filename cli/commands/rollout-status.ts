import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from '../api/api-client.js';
import { getDaemonSet, resolveDaemonSet } from '../api/find-daemon-set.js';
import { CliError, EXIT_CODES } from '../cli-error.js';
import type { ConnectionOptions } from '../command-options.js';
import { parseBooleanFlag, parseDuration } from '../input/parse-duration.js';
import { parseResourceReference } from '../resource-kind.js';
import { formatProgress, isOnDelete, type RolloutState, rolloutState } from '../rollout/rollout-state.js';

export type RolloutStatusOptions = Readonly<{ namespace?: string; timeout: string; watch: string | boolean }> &
  ConnectionOptions;

const POLL_MS = 500;

/**
 * `everynode rollout status daemonset/<name>`: polls until every desired pod is updated and available at the
 * observed generation. A live bar on a terminal, kubectl's lines otherwise. Exit 1 when the rollout fails
 * (`Progressing=False`), the DaemonSet disappears, or `--timeout` passes.
 */
export async function runRolloutStatus(
  resource: string,
  name: string | undefined,
  options: RolloutStatusOptions,
): Promise<void> {
  const reference = parseResourceReference(resource, name, ['daemonsets']);
  if (reference.name === undefined) throw new CliError('error: a daemon set name is required', EXIT_CODES.invalidInput);
  const timeoutMs = parseDuration(options.timeout);
  const watch = parseBooleanFlag(options.watch, true);
  const client = connect(options);
  const target = await resolveDaemonSet(client, reference.name, options.namespace);
  const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Number.POSITIVE_INFINITY;
  const view = process.stdout.isTTY ? new TerminalView() : new LineView();
  for (;;) {
    const daemonSet = await getDaemonSet(client, target);
    if (isOnDelete(daemonSet)) {
      throw new CliError('error: rollout status is only available for RollingUpdate strategy type', EXIT_CODES.failure);
    }
    const state = rolloutState(daemonSet);
    view.show(state);
    if (state.phase === 'failed') {
      view.end();
      throw new CliError(`error: ${state.message}`, EXIT_CODES.failure);
    }
    if (state.phase === 'done' || !watch) {
      view.end();
      return;
    }
    if (Date.now() + POLL_MS > deadline) {
      view.end();
      throw new CliError('error: timed out waiting for the condition', EXIT_CODES.failure);
    }
    await sleep(POLL_MS);
  }
}

type View = { show(state: RolloutState): void; end(): void };

/** Redraws a progress bar in place; kubectl's closing line follows it when the rollout is done. */
class TerminalView implements View {
  #last: RolloutState | undefined;
  show(state: RolloutState): void {
    // A line wider than the terminal would wrap, and the carriage return could not redraw it.
    const width = Math.max((process.stdout.columns ?? 120) - 1, 20);
    const line = [...formatProgress(state)];
    const fitted = line.length > width ? `${line.slice(0, width - 1).join('')}…` : line.join('');
    process.stdout.write(`\r\u001b[2K${fitted}`);
    this.#last = state;
  }
  end(): void {
    if (this.#last === undefined) return;
    process.stdout.write(this.#last.phase === 'done' ? `\n${this.#last.message}\n` : '\n');
  }
}

/** kubectl's plain output: a line whenever the message changes. */
class LineView implements View {
  #last = '';
  show(state: RolloutState): void {
    if (state.phase === 'failed') return;
    const line = state.note === undefined ? state.message : `${state.message} (${state.note})`;
    if (line !== this.#last) process.stdout.write(`${line}\n`);
    this.#last = line;
  }
  end(): void {}
}
