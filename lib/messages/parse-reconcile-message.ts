import * as z from 'zod';
import { fromDaemonSetKey } from '../model/daemon-set.js';
import { TerminalError } from '../ports/errors.js';
import type { ReconcileMessage } from '../ports/work-queue.js';
import { describeZodError } from './ingest-message.js';

const reconcileMessageSchema = z.union([
  z.object({ daemonSet: z.string().refine(isDaemonSetKey, 'expected a daemon set key "namespace/name"') }),
  z.object({ node: z.string().min(1).max(253) }).strict(),
]);

/**
 * Reads a reconcile-queue message body: `{"daemonSet":"namespace/name"}` or a startup-gate check `{"node":"name"}`.
 *
 * @throws TerminalError when the body is not JSON or does not name a daemon set.
 */
export function parseReconcileMessage(body: string): ReconcileMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new TerminalError(`reconcile message is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const result = reconcileMessageSchema.safeParse(value);
  if (!result.success) throw new TerminalError(`invalid reconcile message: ${describeZodError(result.error)}`);
  return 'daemonSet' in result.data ? { daemonSet: result.data.daemonSet } : { node: result.data.node };
}

function isDaemonSetKey(key: string): boolean {
  try {
    fromDaemonSetKey(key);
    return true;
  } catch {
    return false;
  }
}
