import { describe, expect, it } from 'vitest';
import { MAX_INGEST_BODY_BYTES, parseIngestMessage } from '../../../lib/messages/parse-ingest-message.js';
import { TerminalError } from '../../../lib/ports/errors.js';
import { aDaemonSetManifest, aNodeManifest } from '../../fixtures/events/manifests.js';
import { SENT_AT } from '../../fixtures/events/sqs-records.js';

const attributes = { SentTimestamp: String(SENT_AT) };
const sentAt = new Date(SENT_AT).toISOString();

/** The receiver's clock: later than every time these messages carry. */
const RECEIVED_AT = Date.UTC(2027, 0, 1);

function parse(body: unknown) {
  return parseIngestMessage(JSON.stringify(body), attributes, RECEIVED_AT);
}

function reasonOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TerminalError);
    return (error as Error).message;
  }
  throw new Error('expected a TerminalError');
}

describe('parseIngestMessage', () => {
  it.each(['NodeJoined', 'NodeUpdated'] as const)('validates the node of %s into the model', (type) => {
    const body = { type, node: aNodeManifest('node-a', { taints: [{ key: 'gpu', effect: 'NoSchedule' }] }) };

    const event = parse(body);

    expect(event).toMatchObject({ type, observedAt: sentAt, node: { name: 'node-a' } });
    expect(event.type === type && event.node.taints).toEqual([expect.objectContaining({ key: 'gpu' })]);
  });

  it('takes observedAt from the message when given, normalised to UTC', () => {
    const body = { type: 'NodeRemoved', name: 'node-a', observedAt: '2026-02-01T10:00:00+02:00' };

    const event = parse(body);

    expect(event).toEqual({ type: 'NodeRemoved', name: 'node-a', observedAt: '2026-02-01T08:00:00.000Z' });
  });

  it('defaults observedAt to the SQS SentTimestamp', () => {
    const event = parse({ type: 'NodeRemoved', name: 'node-a' });

    expect(event).toEqual({ type: 'NodeRemoved', name: 'node-a', observedAt: sentAt });
  });

  it('validates the manifest of DaemonSetApplied into the model', () => {
    const body = { type: 'DaemonSetApplied', manifest: aDaemonSetManifest('logs', { namespace: 'ops' }) };

    const event = parse(body);

    expect(event).toMatchObject({ type: 'DaemonSetApplied', observedAt: sentAt });
    expect(event.type === 'DaemonSetApplied' && [event.daemonSet.namespace, event.daemonSet.name]).toEqual([
      'ops',
      'logs',
    ]);
  });

  it('refuses an invalid manifest with its field errors', () => {
    const manifest = aDaemonSetManifest('logs');
    const spec = manifest['spec'] as Record<string, unknown>;
    const body = {
      type: 'DaemonSetApplied',
      manifest: { ...manifest, spec: { ...spec, selector: { matchLabels: { app: 'other' } } } },
    };

    const reason = reasonOf(() => parse(body));

    expect(reason).toMatch(/^invalid DaemonSet: .*spec\.template\.metadata\.labels/);
  });

  it('turns DaemonSetDeleted into a key', () => {
    const event = parse({ type: 'DaemonSetDeleted', namespace: 'ops', name: 'logs' });

    expect(event).toEqual({ type: 'DaemonSetDeleted', key: 'ops/logs', observedAt: sentAt });
  });

  it('turns PodDeleted into a key and a request naming the pod by name and creation time', () => {
    const event = parse({
      type: 'PodDeleted',
      namespace: 'ops',
      daemonSet: 'logs',
      podName: 'logs-bcdfghjklm',
      nodeName: 'node-a',
      creationTimestamp: '2026-06-01T10:00:00+02:00',
      gracePeriodSeconds: 0,
    });

    expect(event).toEqual({
      type: 'PodDeleted',
      key: 'ops/logs',
      request: {
        name: 'logs-bcdfghjklm',
        nodeName: 'node-a',
        creationTimestamp: '2026-06-01T08:00:00.000Z',
        gracePeriodSeconds: 0,
      },
      observedAt: sentAt,
    });
  });

  it.each([
    [{ gracePeriodSeconds: -1 }, /gracePeriodSeconds: /],
    [{ gracePeriodSeconds: 1.5 }, /gracePeriodSeconds: /],
    [{ creationTimestamp: undefined }, /creationTimestamp: /],
    [{ uid: 'x' }, /Unrecognized key/],
  ])('refuses a PodDeleted message with %j', (change, expected) => {
    const body = {
      type: 'PodDeleted',
      namespace: 'ops',
      daemonSet: 'logs',
      podName: 'logs-bcdfghjklm',
      nodeName: 'node-a',
      creationTimestamp: '2026-06-01T08:00:00Z',
      ...change,
    };

    expect(reasonOf(() => parse(body))).toMatch(expected);
  });

  it('passes a pod status report through with its own observedAt', () => {
    const report = {
      namespace: 'ops',
      daemonSet: 'logs',
      podName: 'logs-abcde',
      nodeName: 'node-a',
      revisionHash: '5d8f9c',
      phase: 'Running',
      ready: true,
      readySince: '2026-01-02T00:00:00Z',
      observedAt: '2026-01-02T00:00:01Z',
    };

    const event = parse({ type: 'PodStatusReported', report });

    expect(event).toEqual({
      type: 'PodStatusReported',
      report: { ...report, readySince: '2026-01-02T00:00:00.000Z', observedAt: '2026-01-02T00:00:01.000Z' },
      observedAt: '2026-01-02T00:00:01.000Z',
    });
  });

  it('reads a rollout command with its target revision', () => {
    const body = { type: 'RolloutCommand', namespace: 'ops', name: 'logs', command: 'undo', toRevision: 3 };

    const event = parse(body);

    expect(event).toEqual({
      type: 'RolloutCommand',
      key: 'ops/logs',
      command: 'undo',
      toRevision: 3,
      observedAt: sentAt,
    });
  });

  it('refuses an unknown rollout command', () => {
    const reason = reasonOf(() => parse({ type: 'RolloutCommand', namespace: 'ops', name: 'logs', command: 'scale' }));

    expect(reason).toMatch(/^invalid RolloutCommand message: command: /);
  });

  it('refuses a body that is not JSON', () => {
    const reason = reasonOf(() => parseIngestMessage('{"type": "NodeRemoved"', attributes, RECEIVED_AT));

    expect(reason).toMatch(/^message body is not valid JSON/);
  });

  it('refuses a body that is not an object', () => {
    const reason = reasonOf(() => parseIngestMessage('[1, 2]', attributes, RECEIVED_AT));

    expect(reason).toBe('message body is not a JSON object');
  });

  it('refuses an unknown message type', () => {
    const reason = reasonOf(() => parse({ type: 'NodeExploded', name: 'node-a' }));

    expect(reason).toBe('unknown message type "NodeExploded"');
  });

  it('names the missing field of a malformed message', () => {
    const reason = reasonOf(() => parse({ type: 'DaemonSetDeleted', namespace: 'ops' }));

    expect(reason).toMatch(/^invalid DaemonSetDeleted message: name: /);
  });

  it('refuses an observedAt that is not RFC 3339', () => {
    const reason = reasonOf(() => parse({ type: 'NodeRemoved', name: 'node-a', observedAt: 'yesterday' }));

    expect(reason).toContain('observedAt: expected an RFC 3339 timestamp');
  });

  it('refuses a body larger than SQS allows', () => {
    const body = JSON.stringify({ type: 'NodeRemoved', name: 'node-a', padding: 'x'.repeat(MAX_INGEST_BODY_BYTES) });

    const reason = reasonOf(() => parseIngestMessage(body, attributes, RECEIVED_AT));

    expect(reason).toMatch(/^message body is \d+ bytes, more than the 262144 bytes allowed$/);
  });

  it('refuses a message without observedAt when SentTimestamp is missing', () => {
    const reason = reasonOf(() => parseIngestMessage('{"type":"NodeRemoved","name":"node-a"}', {}, RECEIVED_AT));

    expect(reason).toContain('no SentTimestamp');
  });
});
