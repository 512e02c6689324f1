import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from '../api/api-client.js';
import { CliError, EXIT_CODES } from '../cli-error.js';
import type { ConnectionOptions } from '../command-options.js';
import { parseBooleanFlag, parseDuration } from '../input/parse-duration.js';
import { type KubeObject, stringMapAt } from '../output/kube-object.js';

export type NodeDrainOptions = Readonly<{ timeout: string; keep?: boolean; wait: string | boolean }> &
  ConnectionOptions;

const POLL_MS = 500;
/** How long past `--timeout` the CLI waits for the control plane to end the drain before giving up. */
const SLACK_MS = 30_000;

/**
 * `everynode node drain <name> [--timeout 5m] [--keep]`: asks for the drain (a fact), then waits until the node is
 * gone or, with `--keep`, until its drain is recorded as completed. Exit 1 when the node is unknown or the drain
 * does not end in time.
 */
export async function runNodeDrain(name: string, options: NodeDrainOptions): Promise<void> {
  const timeoutMs = parseDuration(options.timeout);
  if (timeoutMs > 0 && timeoutMs < 1000) {
    throw new CliError('error: --timeout must be at least 1s (or 0 for no limit)', EXIT_CODES.invalidInput);
  }
  const wait = parseBooleanFlag(options.wait, true);
  const client = connect(options);
  const path = `/v1/nodes/${encodeURIComponent(name)}`;
  if ((await client.find(path)) === undefined) {
    throw new CliError(`Error from server (NotFound): nodes "${name}" not found`, EXIT_CODES.failure);
  }
  await client.post(`${path}/drain`, {
    ...(timeoutMs > 0 ? { timeoutSeconds: Math.ceil(timeoutMs / 1000) } : {}),
    ...(options.keep === true ? { keep: true } : {}),
  });
  process.stdout.write(`node/${name} cordoned\n`);
  if (!wait) return;
  const deadline = timeoutMs > 0 ? Date.now() + timeoutMs + SLACK_MS : Number.POSITIVE_INFINITY;
  for (;;) {
    const node = (await client.find(path)) as KubeObject | undefined;
    if (node === undefined) {
      process.stdout.write(`node/${name} drained\nnode "${name}" removed\n`);
      return;
    }
    if (drainCompleted(node)) {
      process.stdout.write(`node/${name} drained\n`);
      return;
    }
    if (Date.now() + POLL_MS > deadline)
      throw new CliError('error: timed out waiting for the drain', EXIT_CODES.failure);
    await sleep(POLL_MS);
  }
}

/** A kept node's drain is over: its `everynode.io/drain` annotation carries `completedAt`. */
function drainCompleted(node: KubeObject): boolean {
  const text = stringMapAt(node, 'metadata', 'annotations')['everynode.io/drain'];
  if (text === undefined) return false;
  try {
    return (JSON.parse(text) as { completedAt?: string }).completedAt !== undefined;
  } catch {
    return false;
  }
}
