import * as z from 'zod';
import { nodeNameSchema } from './ingest-message.js';

/** Epoch milliseconds, as AWS IoT stamps its events (at most JavaScript's last date, 275760-09-13). */
const epochMillis = z.int().nonnegative().max(8_640_000_000_000_000);
/** An optional string field, checked when AWS sends it (it is read for logs only, never relied on). */
const optionalText = z.string().max(1024).optional();

const common = {
  /** The MQTT client id: an agent connects with its node name. */
  clientId: nodeNameSchema,
  timestamp: epochMillis,
  sessionIdentifier: z.string().min(1).max(256),
  versionNumber: z.int().nonnegative(),
  principalIdentifier: optionalText,
  thingName: optionalText,
};

/**
 * An AWS IoT Core lifecycle event on `$aws/events/presence/connected/<clientId>` or `.../disconnected/<clientId>`,
 * as an IoT rule delivers it into the ingest queue, unchanged (docs.aws.amazon.com/iot/latest/developerguide/
 * life-cycle-events.html). Required: what the fact is made of (`clientId`, `timestamp`, `eventType`,
 * `versionNumber`, a disconnect's `disconnectReason`) and `sessionIdentifier`; the other documented fields are
 * checked when present. Unknown fields are allowed: AWS adds fields to its events.
 */
export const presenceEventSchema = z.discriminatedUnion('eventType', [
  z.object({ ...common, eventType: z.literal('connected'), ipAddress: optionalText }),
  z.object({
    ...common,
    eventType: z.literal('disconnected'),
    clientInitiatedDisconnect: z.boolean().optional(),
    /** `MQTT_KEEP_ALIVE_TIMEOUT`, `CLIENT_INITIATED_DISCONNECT`, `DUPLICATE_CLIENTID`, ... (AWS may add more). */
    disconnectReason: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'expected an AWS disconnect reason (MQTT_KEEP_ALIVE_TIMEOUT)'),
  }),
]);

/** The lifecycle event types the ingest path reads: connects and disconnects, nothing else. */
export const PRESENCE_EVENT_TYPES: readonly string[] = ['connected', 'disconnected'];

/**
 * `$aws/events/presence/connect_failed/<clientId>`: a client was refused (`AUTHORIZATION_FAILED`). A rule on
 * `$aws/events/presence/+/+` selects it with the connects and disconnects; it says nothing about a connection, so
 * it is acknowledged as ignored, once its time is checked like any fact's.
 */
export const connectFailedEventSchema = z.object({
  clientId: z.string().max(1024),
  timestamp: epochMillis,
  eventType: z.literal('connect_failed'),
  connectFailureReason: optionalText,
});

/**
 * A body is taken for an AWS IoT lifecycle event when it carries `clientId` and `eventType` and no everynode
 * `type` (and it is not an EventBridge event, which is looked for first).
 */
export function looksLikePresenceEvent(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    'clientId' in value &&
    'eventType' in value &&
    !('type' in value)
  );
}
