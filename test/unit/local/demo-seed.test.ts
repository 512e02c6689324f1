import { describe, expect, it } from 'vitest';
import { toDaemonSet } from '../../../lib/manifest/to-daemon-set.js';
import { toNode } from '../../../lib/manifest/to-node.js';
import { nodeShouldRunDaemonPod } from '../../../lib/placement/node-should-run-daemon-pod.js';
import { DEMO_FLUENTD_DAEMON_SET, DEMO_NODES, demoSeedMessages } from '../../../local/demo-seed.js';
import { fixtureObject } from '../../fixtures/manifests/manifest-fixtures.js';

describe('the demo seed', () => {
  it('embeds the same fluentd DaemonSet as the test fixture', () => {
    const embedded = toDaemonSet(DEMO_FLUENTD_DAEMON_SET);
    const fixture = toDaemonSet(fixtureObject('fluentd.yaml'));

    expect(embedded.ok).toBe(true);
    expect(embedded).toEqual(fixture);
  });

  it('seeds a tainted control-plane node, a GPU node and a worker that fluentd all runs on', () => {
    const daemonSet = toDaemonSet(DEMO_FLUENTD_DAEMON_SET);
    const nodes = DEMO_NODES.map((object) => toNode(object));

    const placements = nodes.map((node) =>
      node.ok && daemonSet.ok ? nodeShouldRunDaemonPod(node.value, daemonSet.value.placement).shouldRun : false,
    );

    expect(nodes.map((node) => (node.ok ? node.value.name : 'invalid'))).toEqual([
      'control-plane-1',
      'gpu-1',
      'worker-1',
    ]);
    expect(nodes[0]).toMatchObject({
      value: { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] },
    });
    expect(nodes[1]).toMatchObject({ value: { labels: { hardware: 'gpu' } } });
    expect(placements).toEqual([true, true, true]);
  });

  it('sends the nodes before the DaemonSet, all observed at the given time', () => {
    const messages = demoSeedMessages('2026-01-01T12:00:00.000Z');

    expect(messages.map((message) => message.type)).toEqual([
      'NodeJoined',
      'NodeJoined',
      'NodeJoined',
      'DaemonSetApplied',
    ]);
    expect(
      messages.every((message) => 'observedAt' in message && message.observedAt === '2026-01-01T12:00:00.000Z'),
    ).toBe(true);
  });
});
