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

/** Up to 12 nodes, each with a heartbeat some time ago and a verdict held or not. */
const arbHeartbeats = fc.uniqueArray(
  fc.record({
    nodeName: fc.constantFrom(...Array.from({ length: 12 }, (_, index) => `node-${index}`)),
    agoMs: fc.integer({ min: 0, max: GRACE * 3 }),
    held: fc.boolean(),
  }),
  { selector: (beat) => beat.nodeName, maxLength: 12 },
);

describe('dueVerdicts', () => {
  test.prop([arbHeartbeats])('a heartbeat is due exactly when its staleness differs from its verdict', (beats) => {
    const heartbeats: NodeHeartbeat[] = beats.map(({ nodeName, agoMs, held }) => ({
      nodeName,
      renewTime: new Date(NOW - agoMs).toISOString(),
      ...(held ? { unreachableSince: 'x' } : {}),
    }));
    const due = dueVerdicts(heartbeats, NOW, GRACE);
    const dueNames = new Set(due.map(({ nodeName }) => nodeName));
    for (const { nodeName, agoMs, held } of beats) {
      expect(dueNames.has(nodeName)).toBe(agoMs > GRACE !== held);
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
