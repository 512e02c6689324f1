import { formatFieldError, type Validated } from '../manifest/field-error.js';
import { toDaemonSet } from '../manifest/to-daemon-set.js';
import { toNode } from '../manifest/to-node.js';
import { unsetRolloutSwitches } from '../manifest/unset-rollout-switches.js';
import { type JsonObject, toDaemonSetKey } from '../model/daemon-set.js';
import { TerminalError } from '../ports/errors.js';
import { looksLikeEventBridgeEvent } from './eventbridge-event.js';
import { findTooDeep } from './find-too-deep.js';
import { type FromEventBridgeOptions, fromEventBridgeEvent } from './from-eventbridge-event.js';
import { fromPresenceEvent } from './from-presence-event.js';
import type { IngestEvent } from './ingest-event.js';
import { describeZodError, type IngestMessage, ingestMessageSchema, quotedValue } from './ingest-message.js';
import { looksLikePresenceEvent } from './presence-event.js';

/** SQS's own limit on a message body; anything larger cannot have come through SQS intact. */
export const MAX_INGEST_BODY_BYTES = 256 * 1024;

/**
 * How far ahead of the receiver's clock a fact's time may be. Facts are ordered by time, so one from the far
 * future would win against every real fact for good (a `NodeRemoved` at 9999-12-31 would block the node's
 * name forever); a few minutes cover clock skew between producers.
 */
export const MAX_CLOCK_SKEW_SECONDS = 300;

/** The SQS record attributes parsing uses (a subset of `SQSRecordAttributes`). */
export type IngestMessageAttributes = Readonly<{ SentTimestamp?: string }>;

/**
 * Turns an ingest-queue message body into a validated fact: an everynode message (`{"type": ...}`), an
 * AWS EventBridge event (EC2 Auto Scaling, EC2 instance state), or an AWS IoT Core lifecycle event (a node agent's
 * MQTT connection opened or closed, `{"clientId": ..., "eventType": ...}`). Manifests are validated into the model;
 * a missing `observedAt` defaults to the SQS `SentTimestamp`; a body nested more than `MAX_JSON_DEPTH`
 * levels, and a time more than `MAX_CLOCK_SKEW_SECONDS` ahead of `receivedAt` (epoch milliseconds, the
 * receiver's clock), are refused. Retrying cannot fix any failure here, so every failure is a
 * `TerminalError` whose message says what is wrong.
 *
 * @example
 * parseIngestMessage('{"type":"NodeRemoved","name":"node-a"}', { SentTimestamp: '1767225600000' }, 1767225601000)
 * // { type: 'NodeRemoved', name: 'node-a', observedAt: '2026-01-01T00:00:00.000Z' }
 */
export function parseIngestMessage(
  body: string,
  attributes: IngestMessageAttributes,
  receivedAt: number,
  eventBridge: FromEventBridgeOptions = {},
): IngestEvent {
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > MAX_INGEST_BODY_BYTES) {
    throw new TerminalError(`message body is ${bytes} bytes, more than the ${MAX_INGEST_BODY_BYTES} bytes allowed`);
  }
  const value = parseJson(body);
  const tooDeep = findTooDeep(value);
  if (tooDeep !== undefined) {
    throw new TerminalError(
      `${tooDeep.path}: Invalid value: nested more than ${tooDeep.limit} levels deep (the limit is ${tooDeep.limit})`,
    );
  }
  const [event, timeField] = looksLikeEventBridgeEvent(value)
    ? [fromEventBridgeEvent(value, eventBridge), 'time']
    : looksLikePresenceEvent(value)
      ? [fromPresenceEvent(value), 'timestamp']
      : [toEvent(value, attributes), 'observedAt'];
  refuseFutureTimes(event, receivedAt, timeField);
  return event;
}

function toEvent(value: unknown, attributes: IngestMessageAttributes): IngestEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TerminalError('message body is not a JSON object');
  }
  const type: unknown = (value as Record<string, unknown>)['type'];
  if (!ingestMessageSchema.options.some((option) => option.shape.type.safeParse(type).success)) {
    throw new TerminalError(`unknown message type ${JSON.stringify(type ?? null)}`);
  }
  const result = ingestMessageSchema.safeParse(value);
  if (!result.success) throw new TerminalError(`invalid ${String(type)} message: ${describeZodError(result.error)}`);
  return toIngestEvent(result.data, attributes);
}

function toIngestEvent(message: IngestMessage, attributes: IngestMessageAttributes): IngestEvent {
  switch (message.type) {
    case 'NodeJoined':
    case 'NodeUpdated': {
      const node = validated(toNode(message.node as JsonObject), `invalid Node in ${message.type}`);
      return { type: message.type, node, observedAt: observedAt(message.observedAt, attributes) };
    }
    case 'NodeRemoved':
      return { type: 'NodeRemoved', name: message.name, observedAt: observedAt(message.observedAt, attributes) };
    case 'DaemonSetApplied': {
      const manifest = message.manifest as JsonObject;
      const daemonSet = validated(toDaemonSet(manifest), 'invalid DaemonSet');
      const keeps = unsetRolloutSwitches(manifest);
      return { type: 'DaemonSetApplied', daemonSet, keeps, observedAt: observedAt(message.observedAt, attributes) };
    }
    case 'DaemonSetDeleted':
      return {
        type: 'DaemonSetDeleted',
        key: toDaemonSetKey(message.namespace, message.name),
        observedAt: observedAt(message.observedAt, attributes),
      };
    case 'PodDeleted':
      return {
        type: 'PodDeleted',
        key: toDaemonSetKey(message.namespace, message.daemonSet),
        request: {
          name: message.podName,
          nodeName: message.nodeName,
          creationTimestamp: normalized(message.creationTimestamp),
          ...(message.gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds: message.gracePeriodSeconds }),
        },
        observedAt: observedAt(message.observedAt, attributes),
      };
    case 'PodStatusReported': {
      const { readySince, gone, restartCount, reason, message: detail, ...report } = message.report;
      const reportedAt = normalized(report.observedAt);
      return {
        type: 'PodStatusReported',
        report: {
          ...report,
          observedAt: reportedAt,
          ...(readySince === undefined ? {} : { readySince: normalized(readySince) }),
          ...(gone === undefined ? {} : { gone }),
          ...(restartCount === undefined ? {} : { restartCount }),
          ...(reason === undefined ? {} : { reason }),
          ...(detail === undefined ? {} : { message: detail }),
        },
        observedAt: reportedAt,
      };
    }
    case 'NodeDrainRequested':
      return {
        type: 'NodeDrainRequested',
        name: message.name,
        keep: message.keep ?? false,
        ...(message.timeoutSeconds === undefined ? {} : { timeoutSeconds: message.timeoutSeconds }),
        observedAt: observedAt(message.observedAt, attributes),
      };
    case 'RolloutCommand':
      return {
        type: 'RolloutCommand',
        key: toDaemonSetKey(message.namespace, message.name),
        command: message.command,
        ...(message.toRevision === undefined ? {} : { toRevision: message.toRevision }),
        ...(message.revisionHash === undefined ? {} : { revisionHash: message.revisionHash }),
        observedAt: observedAt(message.observedAt, attributes),
      };
  }
}

/**
 * Refuses a fact time (and a pod's `readySince`) more than `MAX_CLOCK_SKEW_SECONDS` after `receivedAt`; `timeField`
 * names the wire field the fact time came from.
 */
function refuseFutureTimes(event: IngestEvent, receivedAt: number, timeField: string): void {
  const latest = receivedAt + MAX_CLOCK_SKEW_SECONDS * 1000;
  const times: [string, string | undefined][] =
    event.type === 'PodStatusReported'
      ? [
          ['report.observedAt', event.report.observedAt],
          ['report.readySince', event.report.readySince],
        ]
      : [[timeField, event.observedAt]];
  for (const [field, time] of times) {
    if (time === undefined || Date.parse(time) <= latest) continue;
    throw new TerminalError(
      `${field}: Invalid value: ${quotedValue(time)}: must not be more than ${MAX_CLOCK_SKEW_SECONDS} seconds ahead of the receiver's clock (${new Date(receivedAt).toISOString()})`,
    );
  }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new TerminalError(`message body is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

function validated<T>(result: Validated<T>, what: string): T {
  if (result.ok) return result.value;
  throw new TerminalError(`${what}: ${result.errors.map(formatFieldError).join('; ')}`);
}

function observedAt(given: string | undefined, attributes: IngestMessageAttributes): string {
  if (given !== undefined) return normalized(given);
  const sent = Number(attributes.SentTimestamp);
  if (attributes.SentTimestamp === undefined || !Number.isFinite(sent)) {
    throw new TerminalError('message has no observedAt and no SentTimestamp attribute to default it from');
  }
  return new Date(sent).toISOString();
}

/** RFC 3339 with any offset → UTC with milliseconds, so stored times compare as strings. */
function normalized(time: string): string {
  return new Date(time).toISOString();
}
