import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { type AgentPresence, type PresenceOrder, supersedesPresence } from '../../lib/model/agent-presence.js';
import { InMemoryHeartbeatStore } from '../../lib/store/memory/in-memory-heartbeat-store.js';
import { arbDeliveries, arbPresenceHistory, endOf } from '../fixtures/events/presence-history.js';

const orderOf = (presence: AgentPresence): PresenceOrder => ({
  connected: presence.connected,
  at: Date.parse(presence.time),
  versionNumber: presence.versionNumber,
});

const arbOrder = fc.record({
  connected: fc.boolean(),
  at: fc.integer({ min: 0, max: 3_600_000 }),
  versionNumber: fc.integer({ min: 0, max: 5 }),
});

const historyAndDeliveries = arbPresenceHistory().chain((history) =>
  arbDeliveries(history).map((deliveries) => ({ history, deliveries })),
);

describe('supersedesPresence', () => {
  test.prop([arbOrder, arbOrder])('of two events at most one supersedes the other, and none itself', (a, b) => {
    expect(supersedesPresence(a, a)).toBe(false);
    expect(supersedesPresence(a, b) && supersedesPresence(b, a)).toBe(false);
  });

  test.prop([historyAndDeliveries])(
    'keeping whichever event supersedes the kept one ends on the last connection’s last event, in any delivery order',
    ({ history, deliveries }) => {
      let kept: AgentPresence | undefined;
      for (const event of deliveries) {
        if (supersedesPresence(orderOf(event), kept === undefined ? undefined : orderOf(kept))) kept = event;
      }

      expect(kept).toEqual(history.last);
    },
  );

  test.prop([historyAndDeliveries])(
    'the in-memory heartbeat store ends on the same presence, with the latest event time as its renew time',
    async ({ history, deliveries }) => {
      const store = new InMemoryHeartbeatStore();

      for (const event of deliveries) await store.recordPresence(event);

      const [heartbeat] = await store.list();
      const end = endOf(history);
      expect(heartbeat?.presence).toEqual(end.presence);
      expect(heartbeat?.renewTime).toBe(end.renewTime);
    },
  );
});
