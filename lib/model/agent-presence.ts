/**
 * A node agent's MQTT connection to AWS IoT Core opened or closed (an IoT lifecycle event on
 * `$aws/events/presence/connected|disconnected/<clientId>`, the client id being the node name). On AWS the
 * connection is the agent's heartbeat: its keep-alive pings are free, and the broker closes a silent connection
 * after 1.5 × the keep-alive.
 */
export type AgentPresence = Readonly<{
  nodeName: string;
  connected: boolean;
  /** RFC 3339 in UTC: when the broker saw the connect or disconnect (the event's `timestamp`). */
  time: string;
  /** The broker's version of this client id's connection (the event's `versionNumber`). */
  versionNumber: number;
  /** Why the connection closed (`MQTT_KEEP_ALIVE_TIMEOUT`, `DUPLICATE_CLIENTID`, ...); disconnects only. */
  disconnectReason?: string;
}>;

/** Where a presence stands in the order of a client id's lifecycle events. */
export type PresenceOrder = Readonly<{ connected: boolean; at: number; versionNumber: number }>;

/**
 * How far apart two lifecycle events' timestamps must be for time alone to order them. AWS calls the timestamp
 * "an approximation of when the event occurred", and its developer guide has given its accuracy as ±2 minutes
 * (docs.aws.amazon.com/iot/latest/developerguide/life-cycle-events.html, "timestamp"), so two events less than
 * 4 minutes apart may be in either order; 5 minutes leaves a margin.
 */
export const PRESENCE_CLOCK_WINDOW_MS = 5 * 60_000;

/**
 * Whether `incoming` is a later state of the client id's connection than `stored`, from what AWS documents about
 * lifecycle events (docs.aws.amazon.com/iot/latest/developerguide/life-cycle-events.html):
 * - "Lifecycle messages might be sent out of order. You might receive duplicate messages.": nothing is taken in
 *   arrival order, and an event equal to the stored one changes nothing.
 * - `versionNumber` "is a monotonically increasing long integer value for each client ID connection" and "the
 *   connect and disconnect messages for a client connection have the same version number": within one version
 *   the disconnect comes after the connect; a higher version is a later connection. This is what orders a
 *   `DUPLICATE_CLIENTID` disconnect of the old connection, which may arrive after the new connection's connect,
 *   behind that connect.
 * - "If a client is not connected for approximately one hour, the version number is reset to 0": versions only
 *   compare between events close in time. Events further apart than `PRESENCE_CLOCK_WINDOW_MS` (the timestamps'
 *   accuracy) are ordered by time; within it (where no reset can fall, as a reset takes an hour offline), by
 *   version, then disconnect after connect. "For persistent sessions, the version number is reset to 0 after a
 *   client has been disconnected longer than the configured time-to-live": an agent that uses a persistent session
 *   must keep its expiry above `PRESENCE_CLOCK_WINDOW_MS` (a clean session, as the agent's subscription needs
 *   nothing kept, has the hour).
 *
 * Invariants: an event never supersedes itself (redelivery is harmless); of two events at most one supersedes the
 * other; and keeping, of the events of a real history (versions rise with time but for resets after an hour
 * offline, timestamps within ±2 minutes), whichever supersedes the kept one ends on the history's last event,
 * whatever order and how many times they arrive.
 *
 * @example
 * // the new connection's connect is stored; the old connection's late DUPLICATE_CLIENTID disconnect loses
 * supersedesPresence({ connected: false, at: t + 20, versionNumber: 4 }, { connected: true, at: t, versionNumber: 5 }); // false
 */
export function supersedesPresence(incoming: PresenceOrder, stored: PresenceOrder | undefined): boolean {
  if (stored === undefined) return true;
  if (incoming.at - PRESENCE_CLOCK_WINDOW_MS > stored.at) return true;
  if (incoming.at + PRESENCE_CLOCK_WINDOW_MS < stored.at) return false;
  if (incoming.versionNumber !== stored.versionNumber) return incoming.versionNumber > stored.versionNumber;
  return !incoming.connected && stored.connected;
}
