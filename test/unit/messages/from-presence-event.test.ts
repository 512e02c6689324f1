import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIngestMessage } from '../../../lib/messages/parse-ingest-message.js';
import { TerminalError } from '../../../lib/ports/errors.js';

const SAMPLES = join(import.meta.dirname, '../../fixtures/events/iot-presence');
const sample = (file: string): Record<string, unknown> => JSON.parse(readFileSync(join(SAMPLES, file), 'utf8'));

/** The receiver's clock: a minute after the samples' last event. */
const RECEIVED_AT = Date.parse('2026-03-11T23:11:42Z');

const parse = (body: unknown, receivedAt = RECEIVED_AT) =>
  parseIngestMessage(typeof body === 'string' ? body : JSON.stringify(body), {}, receivedAt);

function reasonOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TerminalError);
    return (error as Error).message;
  }
  throw new Error('expected a TerminalError');
}

describe('AWS IoT lifecycle events on the ingest queue', () => {
  it('reads a connect as the agent of the client id’s node connected at the event’s time', () => {
    expect(parse(sample('connected.json'))).toEqual({
      type: 'AgentPresence',
      presence: {
        nodeName: 'i-0a1b2c3d4e5f67890',
        connected: true,
        time: '2026-03-11T21:32:05.412Z',
        versionNumber: 7,
      },
      observedAt: '2026-03-11T21:32:05.412Z',
    });
  });

  it.each([
    ['disconnected-keep-alive-timeout.json', 'MQTT_KEEP_ALIVE_TIMEOUT', '2026-03-11T23:10:41.907Z'],
    ['disconnected-client-initiated.json', 'CLIENT_INITIATED_DISCONNECT', '2026-03-11T23:10:41.907Z'],
    ['disconnected-duplicate-clientid.json', 'DUPLICATE_CLIENTID', '2026-03-11T23:10:42.118Z'],
  ])('reads %s as a disconnect with its reason', (file, reason, time) => {
    expect(parse(sample(file))).toEqual({
      type: 'AgentPresence',
      presence: { nodeName: 'i-0a1b2c3d4e5f67890', connected: false, time, versionNumber: 7, disconnectReason: reason },
      observedAt: time,
    });
  });

  it('reads a disconnect reason AWS may add later, and ignores fields it does not know', () => {
    const body = { ...sample('disconnected-keep-alive-timeout.json'), disconnectReason: 'NEW_REASON', extra: 1 };

    const event = parse(body);

    expect(event.type === 'AgentPresence' && event.presence.disconnectReason).toBe('NEW_REASON');
  });

  it.each([
    [
      'a client id that is not a node name',
      { ...sample('connected.json'), clientId: 'Worker_1' },
      /^invalid AWS IoT connected event: clientId: Invalid value: "Worker_1": a lowercase RFC 1123 subdomain/,
    ],
    [
      'a client id with a slash',
      { ...sample('connected.json'), clientId: 'node/a' },
      /^invalid AWS IoT connected event: clientId: Invalid value: "node\/a"/,
    ],
    [
      'no version number',
      { ...sample('connected.json'), versionNumber: undefined },
      /^invalid AWS IoT connected event: versionNumber: /,
    ],
    [
      'a negative version number',
      { ...sample('connected.json'), versionNumber: -1 },
      /^invalid AWS IoT connected event: versionNumber: /,
    ],
    [
      'a timestamp given as text',
      { ...sample('connected.json'), timestamp: '2026-03-11T21:32:05Z' },
      /^invalid AWS IoT connected event: timestamp: /,
    ],
    [
      'a disconnect without its reason',
      { ...sample('disconnected-keep-alive-timeout.json'), disconnectReason: undefined },
      /^invalid AWS IoT disconnected event: disconnectReason: /,
    ],
    [
      'a disconnect reason that is not one of AWS’s words',
      { ...sample('disconnected-keep-alive-timeout.json'), disconnectReason: 'gone fishing' },
      /^invalid AWS IoT disconnected event: disconnectReason: expected an AWS disconnect reason/,
    ],
    [
      'no session identifier',
      { ...sample('connected.json'), sessionIdentifier: undefined },
      /^invalid AWS IoT connected event: sessionIdentifier: /,
    ],
    [
      'another lifecycle event (subscribed)',
      { ...sample('connected.json'), eventType: 'subscribed', topics: ['everynode/nodes/i-0a1b2c3d4e5f67890/changed'] },
      /^unsupported AWS IoT lifecycle event: eventType: Unsupported value: "subscribed": supported values: "connected", "disconnected", "connect_failed"$/,
    ],
    [
      'a connect_failed event without its timestamp',
      { ...sample('connect-failed.json'), timestamp: undefined },
      /^invalid AWS IoT connect_failed event: timestamp: /,
    ],
    [
      'a timestamp from the far future',
      { ...sample('connected.json'), timestamp: Date.parse('9999-12-31T00:00:00Z') },
      /^timestamp: Invalid value: "9999-12-31T00:00:00.000Z": must not be more than 300 seconds ahead/,
    ],
    [
      'a timestamp past the last date JavaScript can hold',
      { ...sample('connected.json'), timestamp: 9_000_000_000_000_000 },
      /^invalid AWS IoT connected event: timestamp: /,
    ],
  ])('refuses %s with the field and what is wrong', (_label, body, reason) => {
    expect(reasonOf(() => parse(body))).toMatch(reason);
  });

  it('acknowledges a connect_failed event as ignored: a refused client opened no connection', () => {
    expect(parse(sample('connect-failed.json'))).toEqual({
      type: 'Ignored',
      reason: 'AWS IoT connect_failed (AUTHORIZATION_FAILED) for client "i-0a1b2c3d4e5f67890": no connection opened',
      observedAt: '2026-03-11T21:32:05.001Z',
    });
  });

  it('leaves an everynode message that happens to carry clientId and eventType to the everynode schema', () => {
    const body = {
      type: 'NodeRemoved',
      name: 'node-a',
      observedAt: '2026-03-01T00:00:00Z',
      clientId: 'x',
      eventType: 'y',
    };

    expect(parse(body)).toMatchObject({ type: 'NodeRemoved', name: 'node-a' });
  });
});
