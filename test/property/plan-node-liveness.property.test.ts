import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { Node } from '../../lib/model/node.js';
import type { NodeHeartbeat } from '../../lib/ports/heartbeat-store.js';
import { dueVerdicts, isUnreachable, planNodeLiveness } from '../../lib/reconcile/plan-node-liveness.js';

const NOW = Date.parse('2026-12-03T10:00:00Z');
const GRACE = 50_000;

const aNode = (name: string): Node => ({
  name,
  labels: {},
  taints: [],
  unschedulable: false,
  conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
  allocatable: {},
});

/**
 * Up to 12 nodes, each with a heartbeat some time ago, a verdict held or not, and an agent on HTTP heartbeats
 * (`mqtt` undefined) or on MQTT, connected or not.
 */
const arbHeartbeats = fc.uniqueArray(
  fc.record({
    nodeName: fc.constantFrom(...Array.from({ length: 12 }, (_, index) => `node-${index}`)),
    agoMs: fc.integer({ min: 0, max: GRACE * 3 }),
    held: fc.boolean(),
    mqtt: fc.option(fc.constantFrom('connected', 'disconnected'), { nil: undefined }),
  }),
  { selector: (beat) => beat.nodeName, maxLength: 12 },
);

type Beat = Readonly<{
  nodeName: string;
  agoMs: number;
  held: boolean;
  mqtt: 'connected' | 'disconnected' | undefined;
}>;

const toHeartbeat = ({ nodeName, agoMs, held, mqtt }: Beat): NodeHeartbeat => ({
  nodeName,
  renewTime: new Date(NOW - agoMs).toISOString(),
  ...(held ? { unreachableSince: 'x' } : {}),
  ...(mqtt === undefined
    ? {}
    : { presence: { connected: mqtt === 'connected', since: new Date(NOW - agoMs).toISOString(), versionNumber: 1 } }),
});

describe('dueVerdicts', () => {
  test.prop([arbHeartbeats])('a heartbeat is due exactly when its staleness differs from its verdict', (beats) => {
    const heartbeats: NodeHeartbeat[] = beats.map(toHeartbeat);
    const due = dueVerdicts(heartbeats, NOW, GRACE);
    const dueNames = new Set(due.map(({ nodeName }) => nodeName));
    for (const { nodeName, agoMs, held, mqtt } of beats) {
      // A connected agent is never stale; otherwise the latest renew (a disconnect's own time) is judged.
      const stale = mqtt !== 'connected' && agoMs > GRACE;
      expect(dueNames.has(nodeName)).toBe(stale !== held);
    }
    expect(due.map(({ nodeName }) => nodeName)).toEqual([...dueNames].toSorted((a, b) => a.localeCompare(b)));

    // Writing the due verdicts leaves nothing due; and the due set agrees with the node planner's idea of stale.
    const written = heartbeats.map((heartbeat) => {
      const verdict = due.find(({ nodeName }) => nodeName === heartbeat.nodeName)?.verdict;
      if (verdict === undefined) return heartbeat;
      const { unreachableSince: _held, ...rest } = heartbeat;
      return verdict === 'unreachable' ? { ...rest, unreachableSince: 'now' } : rest;
    });
    expect(dueVerdicts(written, NOW, GRACE)).toEqual([]);
    const marked = planNodeLiveness(
      heartbeats.map(({ nodeName }) => aNode(nodeName)),
      heartbeats,
      NOW,
      GRACE,
    );
    const wantUnreachable = due.filter(({ verdict }) => verdict === 'unreachable').map(({ nodeName }) => nodeName);
    expect(
      marked
        .filter(({ node }) => isUnreachable(node) && wantUnreachable.includes(node.name))
        .map(({ node }) => node.name),
    ).toEqual(wantUnreachable);
  });
});

describe('planNodeLiveness', () => {
  test.prop([arbHeartbeats])('never marks a node whose agent is connected unreachable', (beats) => {
    const heartbeats = beats.map(toHeartbeat);

    const changes = planNodeLiveness(
      heartbeats.map(({ nodeName }) => aNode(nodeName)),
      heartbeats,
      NOW,
      GRACE,
    );

    const connected = new Set(beats.filter(({ mqtt }) => mqtt === 'connected').map(({ nodeName }) => nodeName));
    expect(changes.filter(({ node }) => connected.has(node.name) && isUnreachable(node))).toEqual([]);
  });
});
