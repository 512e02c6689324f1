import { describe, expect, it } from 'vitest';
import type { Node } from '../../../lib/model/node.js';
import { dueVerdicts, planNodeLiveness, UNREACHABLE_TAINT_KEY } from '../../../lib/reconcile/plan-node-liveness.js';

const NOW = Date.parse('2026-12-03T10:00:00Z');
const GRACE = 50_000;

const aNode = (name: string, overrides: Partial<Node> = {}): Node => ({
  name,
  labels: {},
  taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
  unschedulable: false,
  conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
  allocatable: {},
  ...overrides,
});
const beat = (nodeName: string, agoMs: number) => ({ nodeName, renewTime: new Date(NOW - agoMs).toISOString() });
/** A heartbeat item whose agent connected (or disconnected) over MQTT `agoMs` ago, as the store keeps it. */
const presence = (nodeName: string, connected: boolean, agoMs: number, renewedAgoMs = agoMs) => ({
  ...beat(nodeName, renewedAgoMs),
  presence: { connected, since: new Date(NOW - agoMs).toISOString(), versionNumber: 4 },
});

describe('planNodeLiveness', () => {
  it('marks a node whose heartbeats stopped for longer than the grace period Ready=Unknown and unreachable', () => {
    const [change, ...rest] = planNodeLiveness(
      [aNode('a'), aNode('b')],
      [beat('a', GRACE + 1), beat('b', GRACE)],
      NOW,
      GRACE,
    );
    expect(rest).toEqual([]);
    expect(change?.change).toBe('unreachable');
    expect(change?.node.name).toBe('a');
    expect(change?.node.conditions).toEqual([
      {
        type: 'Ready',
        status: 'Unknown',
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
        lastTransitionTime: '2026-12-03T10:00:00.000Z',
      },
    ]);
    // Its own taints are kept; the lifecycle controller's two are added.
    expect(change?.node.taints).toEqual([
      { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
      { key: UNREACHABLE_TAINT_KEY, effect: 'NoSchedule', timeAdded: '2026-12-03T10:00:00.000Z' },
      { key: UNREACHABLE_TAINT_KEY, effect: 'NoExecute', timeAdded: '2026-12-03T10:00:00.000Z' },
    ]);
  });

  it('changes nothing again for a node already marked, and leaves nodes without heartbeats alone', () => {
    const [marked] = planNodeLiveness([aNode('a')], [beat('a', GRACE * 2)], NOW, GRACE);
    expect(planNodeLiveness([marked?.node as Node], [beat('a', GRACE * 3)], NOW, GRACE)).toEqual([]);
    expect(planNodeLiveness([aNode('joined-by-hand')], [], NOW, GRACE)).toEqual([]);
  });

  it('restores Ready and removes the unreachable taints when heartbeats come back', () => {
    const [marked] = planNodeLiveness([aNode('a')], [beat('a', GRACE * 2)], NOW, GRACE);
    const [recovered] = planNodeLiveness([marked?.node as Node], [beat('a', 1_000)], NOW, GRACE);
    expect(recovered?.change).toBe('recovered');
    expect(recovered?.node.taints).toEqual([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
    expect(recovered?.node.conditions[0]).toMatchObject({ type: 'Ready', status: 'True', reason: 'KubeletReady' });
  });

  it('leaves a NotReady node alone that the kubelet itself reported NotReady (not the lifecycle controller)', () => {
    const notReady = aNode('a', { conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady' }] });
    expect(planNodeLiveness([notReady], [beat('a', 1_000)], NOW, GRACE)).toEqual([]);
  });
});

describe('dueVerdicts', () => {
  it('names the silent nodes without a verdict and the returning nodes with one, sorted, and nothing else', () => {
    const held = (nodeName: string, agoMs: number) => ({ ...beat(nodeName, agoMs), unreachableSince: 'earlier' });
    expect(
      dueVerdicts(
        [
          beat('silent', GRACE + 1),
          beat('alive', GRACE),
          held('still-silent', GRACE * 5),
          held('back', 1_000),
          beat('garbled', 0),
          { nodeName: 'unparseable', renewTime: 'yesterday' },
          beat('also-silent', GRACE * 2),
        ],
        NOW,
        GRACE,
      ),
    ).toEqual([
      { nodeName: 'also-silent', verdict: 'unreachable' },
      { nodeName: 'back', verdict: 'recovered' },
      { nodeName: 'silent', verdict: 'unreachable' },
    ]);
  });
});

describe('planNodeLiveness with agents connected to AWS IoT Core', () => {
  it('keeps a node Ready while its agent is connected, however old its last heartbeat', () => {
    expect(planNodeLiveness([aNode('a')], [presence('a', true, GRACE * 1000)], NOW, GRACE)).toEqual([]);
  });

  it('judges a node whose agent disconnected from the disconnect, with the heartbeats’ grace period', () => {
    const changes = planNodeLiveness(
      [aNode('just-gone'), aNode('long-gone')],
      [presence('just-gone', false, GRACE), presence('long-gone', false, GRACE + 1)],
      NOW,
      GRACE,
    );

    expect(changes.map(({ node, change }) => `${node.name} ${change}`)).toEqual(['long-gone unreachable']);
  });

  it('brings a node marked unreachable back as soon as its agent connects again', () => {
    const [marked] = planNodeLiveness([aNode('a')], [presence('a', false, GRACE * 2)], NOW, GRACE);

    const [recovered] = planNodeLiveness([marked?.node as Node], [presence('a', true, 0, GRACE * 2)], NOW, GRACE);

    expect(recovered?.change).toBe('recovered');
    expect(recovered?.node.taints).toEqual([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
  });
});

describe('dueVerdicts with agents connected to AWS IoT Core', () => {
  it('names a connected node held unreachable, and never a connected node without a verdict', () => {
    const held = { ...presence('back', true, 0, GRACE * 9), unreachableSince: 'earlier' };
    expect(
      dueVerdicts([presence('connected', true, GRACE * 9), held, presence('gone', false, GRACE + 1)], NOW, GRACE),
    ).toEqual([
      { nodeName: 'back', verdict: 'recovered' },
      { nodeName: 'gone', verdict: 'unreachable' },
    ]);
  });
});
