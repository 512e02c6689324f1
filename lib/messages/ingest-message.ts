import * as z from 'zod';
import { dns1123LabelErrors, dns1123SubdomainErrors, labelValueErrors } from '../labels/label-syntax.js';
import { POD_PHASES, type PodStatusReport } from '../model/pod.js';
import { TerminalError } from '../ports/errors.js';
import { ROLLOUT_COMMAND_NAMES } from '../ports/rollout-command.js';

const rfc3339 = z.iso.datetime({ offset: true, message: 'expected an RFC 3339 timestamp' });

/** The longest grace period a pod deletion may ask for (a year, far beyond any real termination). */
export const MAX_GRACE_PERIOD_SECONDS = 31_536_000;

/** A value in an error message: quoted, and cut short so a 200 KB value does not make a 200 KB message. */
export function quotedValue(value: string): string {
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}...` : value);
}

/** A string checked by one of Kubernetes' name grammars, refused in the API server's words. */
const grammar = (errorsOf: (value: string) => string[]) =>
  z.string().superRefine((value, context) => {
    for (const message of errorsOf(value)) {
      context.addIssue({ code: 'custom', message: `Invalid value: ${quotedValue(value)}: ${message}` });
    }
  });

/** An object or node name: a DNS-1123 subdomain, as Kubernetes names are (no `/`, `#`, NUL, upper case). */
const name = grammar(dns1123SubdomainErrors);
/** A node name as any message carries it (a DNS-1123 subdomain), refused in the API server's words. */
export const nodeNameSchema = name;
/** A namespace: a DNS-1123 label. */
const namespace = grammar(dns1123LabelErrors);
/** A ControllerRevision hash: it is the pods' `controller-revision-hash` label value, so one that is not empty. */
const revisionHash = grammar((value) => (value === '' ? ['must not be empty'] : labelValueErrors(value)));
const kubernetesObject = z.record(z.string(), z.unknown());

/**
 * A zod object shape with exactly the fields of `T`, each schema yielding that field's type (optional
 * fields `.optional()`), so a field added, dropped or retyped on one side only fails to compile.
 */
type ShapeOf<T> = {
  [K in keyof T]-?: Partial<Pick<T, K>> extends Pick<T, K>
    ? z.ZodOptional<z.ZodType<Exclude<T[K], undefined>>>
    : z.ZodType<T[K]>;
};

/** What a node agent reports about one pod: the model's `PodStatusReport`, checked field by field. */
export const podStatusReportSchema = z.object({
  namespace,
  daemonSet: name,
  podName: name,
  nodeName: name,
  revisionHash,
  phase: z.enum(POD_PHASES),
  ready: z.boolean(),
  readySince: rfc3339.optional(),
  observedAt: rfc3339,
  gone: z.boolean().optional(),
  restartCount: z.int().nonnegative().max(1_000_000_000).optional(),
  reason: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9:]{0,127}$/, 'must be a CamelCase word of at most 128 characters')
    .optional(),
  message: z.string().max(1024).optional(),
} satisfies ShapeOf<PodStatusReport>);

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
  z
    .object({
      type: z.literal('NodeDrainRequested'),
      name,
      /** The drain ends (and the node goes, unless kept) after this long, whatever is left. */
      timeoutSeconds: z.int().positive().max(86_400).optional(),
      /** Keep the node cordoned after the drain instead of removing it. */
      keep: z.boolean().optional(),
      observedAt: rfc3339.optional(),
    })
    .strict(),
  z.object({ type: z.literal('DaemonSetApplied'), manifest: kubernetesObject, observedAt: rfc3339.optional() }),
  z.object({ type: z.literal('DaemonSetDeleted'), namespace, name, observedAt: rfc3339.optional() }),
  z.object({ type: z.literal('PodStatusReported'), report: podStatusReportSchema }),
  /** A user's deletion of one pod (`kubectl delete pod`), naming it by name and creation time (its uid). */
  z
    .object({
      type: z.literal('PodDeleted'),
      namespace,
      daemonSet: name,
      podName: name,
      nodeName: name,
      creationTimestamp: rfc3339,
      /** 0 removes the pod at once (`--force --grace-period=0`); otherwise its agent stops it. */
      gracePeriodSeconds: z.int().nonnegative().max(MAX_GRACE_PERIOD_SECONDS).optional(),
      observedAt: rfc3339.optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('RolloutCommand'),
      namespace,
      name,
      command: z.enum(ROLLOUT_COMMAND_NAMES),
      toRevision: z.int().nonnegative().optional(),
      /** For undo: the target revision's hash, resolved when the command was issued (idempotent redelivery). */
      revisionHash: revisionHash.optional(),
      observedAt: rfc3339.optional(),
    })
    .superRefine((command, context) => {
      if (command.command === 'undo') return;
      for (const field of ['toRevision', 'revisionHash'] as const) {
        if (command[field] === undefined) continue;
        context.addIssue({ code: 'custom', path: [field], message: 'Forbidden: only undo takes a revision' });
      }
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

/**
 * Renders a zod error as one line of `path: message` pairs, the way field errors read elsewhere
 * (`report.phase: Invalid option: expected one of ...; observedAt: expected an RFC 3339 timestamp`).
 */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path === '' ? issue.message : `${path}: ${issue.message}`;
    })
    .join('; ');
}

/**
 * Where facts go in: the ingest queue. SQS in AWS (`functions/shared/sqs-ingest-queue.ts`), an
 * in-process queue in the local control plane. Producers validate with `toIngestMessage` first.
 */
export interface IngestQueue {
  /** Sends the messages (in as few requests as the transport allows); rejects if any was not accepted. */
  send(messages: readonly IngestMessage[]): Promise<void>;
}
