import { TerminalError } from '../ports/errors.js';
import type { IngestEvent } from './ingest-event.js';
import { describeZodError, quotedValue } from './ingest-message.js';
import { connectFailedEventSchema, PRESENCE_EVENT_TYPES, presenceEventSchema } from './presence-event.js';

/**
 * Maps an AWS IoT Core lifecycle event (a node agent's MQTT connection opened or closed) onto an `AgentPresence`
 * fact: node name = client id, time = the event's `timestamp`, ordered by `versionNumber` then time when stored
 * (`supersedesPresence`).
 *
 * A `connect_failed` event (a refused client: no connection opened or closed) is `Ignored`.
 *
 * @throws TerminalError when the event is malformed, its client id is not a node name, or it is another lifecycle
 * event (`subscribed`, ...).
 * @example
 * fromPresenceEvent({ clientId: 'i-0a1b2c3d4e5f67890', timestamp: 1767225600000, eventType: 'connected',
 *   sessionIdentifier: '00000000-0000-0000-0000-000000000000', versionNumber: 3 });
 * // { type: 'AgentPresence', presence: { nodeName: 'i-0a1b2c3d4e5f67890', connected: true, versionNumber: 3,
 * //   time: '2026-01-01T00:00:00.000Z' }, observedAt: '2026-01-01T00:00:00.000Z' }
 */
export function fromPresenceEvent(value: unknown): IngestEvent {
  const eventType: unknown = (value as Record<string, unknown>)['eventType'];
  if (eventType === 'connect_failed') {
    const result = connectFailedEventSchema.safeParse(value);
    if (!result.success) {
      throw new TerminalError(`invalid AWS IoT connect_failed event: ${describeZodError(result.error)}`);
    }
    const { clientId, connectFailureReason } = result.data;
    return {
      type: 'Ignored',
      reason: `AWS IoT connect_failed (${connectFailureReason ?? 'no reason given'}) for client ${quotedValue(clientId)}: no connection opened`,
      observedAt: new Date(result.data.timestamp).toISOString(),
    };
  }
  if (typeof eventType !== 'string' || !PRESENCE_EVENT_TYPES.includes(eventType)) {
    throw new TerminalError(
      `unsupported AWS IoT lifecycle event: eventType: Unsupported value: ${typeof eventType === 'string' ? quotedValue(eventType) : JSON.stringify(eventType ?? null)}: supported values: "connected", "disconnected", "connect_failed"`,
    );
  }
  const result = presenceEventSchema.safeParse(value);
  if (!result.success) {
    throw new TerminalError(`invalid AWS IoT ${eventType} event: ${describeZodError(result.error)}`);
  }
  const event = result.data;
  const time = new Date(event.timestamp).toISOString();
  return {
    type: 'AgentPresence',
    presence: {
      nodeName: event.clientId,
      connected: event.eventType === 'connected',
      time,
      versionNumber: event.versionNumber,
      ...(event.eventType === 'disconnected' ? { disconnectReason: event.disconnectReason } : {}),
    },
    observedAt: time,
  };
}
