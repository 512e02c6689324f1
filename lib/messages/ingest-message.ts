import * as z from 'zod';
import { TerminalError } from '../ports/errors.js';
import { ROLLOUT_COMMAND_NAMES } from '../ports/rollout-command.js';
import { describeZodError } from './describe-zod-error.js';

const rfc3339 = z.iso.datetime({ offset: true, message: 'expected an RFC 3339 timestamp' });
const name = z.string().min(1).max(253);
const kubernetesObject = z.record(z.string(), z.unknown());

/** What a node agent reports about one pod; mirrors `PodStatusReport`. */
export const podStatusReportSchema = z.object({
  namespace: name,
  daemonSet: name,
  podName: name,
  nodeName: name,
  revisionHash: z.string().min(1),
  phase: z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']),
  ready: z.boolean(),
  readySince: rfc3339.optional(),
  observedAt: rfc3339,
  gone: z.boolean().optional(),
});

/**
 * The body of an everynode ingest-queue message. Manifests stay plain objects here; they are validated
 * into the model (with Kubernetes field paths) by `parseIngestMessage`.
 */
export const ingestMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.enum(['NodeJoined', 'NodeUpdated']),
    node: kubernetesObject,
    observedAt: rfc3339.optional(),
  }),
  z.object({ type: z.literal('NodeRemoved'), name, observedAt: rfc3339.optional() }),
  z.object({ type: z.literal('DaemonSetApplied'), manifest: kubernetesObject, observedAt: rfc3339.optional() }),
  z.object({ type: z.literal('DaemonSetDeleted'), namespace: name, name, observedAt: rfc3339.optional() }),
  z.object({ type: z.literal('PodStatusReported'), report: podStatusReportSchema }),
  z.object({
    type: z.literal('RolloutCommand'),
    namespace: name,
    name,
    command: z.enum(ROLLOUT_COMMAND_NAMES),
    toRevision: z.int().nonnegative().optional(),
    /** For undo: the target revision's hash, resolved when the command was issued (idempotent redelivery). */
    revisionHash: z.string().min(1).max(63).optional(),
    observedAt: rfc3339.optional(),
  }),
]);

/** An ingest-queue message body, as producers (the HTTP API, the CLI, node agents) send it. */
export type IngestMessage = z.infer<typeof ingestMessageSchema>;

/** The `type` values an ingest message may carry. */
export type IngestMessageType = IngestMessage['type'];

/**
 * Checks that a value is a well-formed ingest message (its envelope; manifests are checked later by
 * `parseIngestMessage`) and returns it typed, ready to send.
 *
 * @throws TerminalError with a readable reason (`node.metadata: ...`) when it is not.
 * @example
 * await ingestQueue.send([toIngestMessage({ type: 'NodeRemoved', name: 'node-a' })]);
 */
export function toIngestMessage(value: unknown): IngestMessage {
  const result = ingestMessageSchema.safeParse(value);
  if (!result.success) throw new TerminalError(`invalid ingest message: ${describeZodError(result.error)}`);
  return result.data;
}
