import { describe, expect, it } from 'vitest';
import { PRESENCE_CLOCK_WINDOW_MS, supersedesPresence } from '../../../lib/model/agent-presence.js';

const T = Date.parse('2026-12-03T10:00:00Z');
const MINUTE = 60_000;
const connected = (versionNumber: number, at: number) => ({ connected: true, at, versionNumber });
const disconnected = (versionNumber: number, at: number) => ({ connected: false, at, versionNumber });

describe('supersedesPresence', () => {
  it('takes any event when nothing is stored, and never the stored event again (a redelivery)', () => {
    expect(supersedesPresence(connected(3, T), undefined)).toBe(true);
    expect(supersedesPresence(connected(3, T), connected(3, T))).toBe(false);
    expect(supersedesPresence(disconnected(3, T), disconnected(3, T))).toBe(false);
  });

  it('puts a connection’s disconnect after its connect, whatever their timestamps say', () => {
    expect(supersedesPresence(disconnected(3, T - MINUTE), connected(3, T))).toBe(true);
    expect(supersedesPresence(connected(3, T + MINUTE), disconnected(3, T))).toBe(false);
  });

  it('puts a later connection after the last one, even stamped a little earlier', () => {
    expect(supersedesPresence(connected(4, T - MINUTE), disconnected(3, T))).toBe(true);
    // The old connection's DUPLICATE_CLIENTID disconnect, stamped after the new connection's connect, loses.
    expect(supersedesPresence(disconnected(3, T + 200), connected(4, T))).toBe(false);
  });

  it('orders events further apart than the timestamps’ accuracy by time, so a version reset after an hour offline wins', () => {
    expect(supersedesPresence(connected(0, T + 65 * MINUTE), disconnected(12, T))).toBe(true);
    expect(supersedesPresence(disconnected(12, T), connected(0, T + 65 * MINUTE))).toBe(false);
    expect(supersedesPresence(connected(0, T + PRESENCE_CLOCK_WINDOW_MS + 1), disconnected(12, T))).toBe(true);
    expect(supersedesPresence(connected(0, T + PRESENCE_CLOCK_WINDOW_MS), disconnected(12, T))).toBe(false);
  });
});
