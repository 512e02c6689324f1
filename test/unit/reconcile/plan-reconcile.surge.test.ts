import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../lib/model/pod.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { countActions, simulate, someNodes } from '../../fixtures/builders/simulate.js';

const CONTROL_PLANE = 'node-role.kubernetes.io/control-plane';

describe('planReconcile rolling update with surge', () => {
  it('surges 5 nodes two at a time, keeping each old pod until its replacement is available', () => {
    const cluster = simulate(aDaemonSet('foo').build(), someNodes(5));
    expect(countActions(cluster.step())).toEqual({ creates: 5, deletes: 0 });
    cluster.markReady();

    cluster.updateDaemonSet((ds) => ({
      ...ds,
      updateStrategy: { type: 'RollingUpdate', maxUnavailable: 0, maxSurge: 2 },
    }));
    cluster.updateImage('foo2/bar2');

    expect(countActions(cluster.step())).toEqual({ creates: 2, deletes: 0 });
    expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 0 });
    cluster.markReady();
    expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 2 });
    expect(countActions(cluster.step())).toEqual({ creates: 2, deletes: 0 });
    expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 0 });
    cluster.markReady();
    expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 2 });
    expect(countActions(cluster.step())).toEqual({ creates: 1, deletes: 0 });
    expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 0 });
    cluster.markReady();
    expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 1 });
    cluster.finishTerminations();
    expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 0 });
    expect(cluster.status).toMatchObject({ updatedNumberScheduled: 5, numberAvailable: 5 });
  });

  it('replaces unready old pods at once and waits out minReadySeconds before removing ready ones', () => {
    const cluster = simulate(aDaemonSet('foo').build(), someNodes(5));
    cluster.step();
    cluster.updateDaemonSet((ds) => ({
      ...ds,
      updateStrategy: { type: 'RollingUpdate', maxUnavailable: 0, maxSurge: 3 },
    }));
    cluster.updateImage('foo2/bar2');

    // All old pods are unavailable, so every node surges regardless of maxSurge.
    expect(countActions(cluster.at(100).step())).toEqual({ creates: 5, deletes: 0 });
    // Unready old pods beside a new pod are removed by the manage loop.
    expect(countActions(cluster.at(200).step())).toEqual({ creates: 0, deletes: 5 });
    cluster.finishTerminations().markReady();
    cluster.updateDaemonSet((ds) => ({ ...ds, minReadySeconds: 15 }));
    cluster.updateImage('foo3/bar3');

    expect(countActions(cluster.at(300).step())).toEqual({ creates: 3, deletes: 0 });
    const isCurrent = (pod: Pod): boolean => pod.revisionHash === cluster.hash;
    cluster.markReady(isCurrent, 2);
    const surged = new Set(cluster.pods.filter(isCurrent).map((pod) => pod.nodeName));
    cluster.markNotReady((pod) => !isCurrent(pod) && !surged.has(pod.nodeName), 1);

    // The new pods still wait out minReadySeconds; the node whose old pod turned unready surges at once.
    expect(countActions(cluster.at(310).step())).toEqual({ creates: 1, deletes: 0 });
    // Two new pods are now available: their old pods go, and so does the unready one beside its new pod ...
    expect(countActions(cluster.at(320).step())).toEqual({ creates: 0, deletes: 3 });
    // ... then one more node surges (Kubernetes does both in one sync; here they are two steps).
    expect(countActions(cluster.step())).toEqual({ creates: 1, deletes: 0 });
    cluster.markReady(isCurrent);

    expect(countActions(cluster.at(340).step())).toEqual({ creates: 0, deletes: 2 });
    expect(countActions(cluster.at(350).step())).toEqual({ creates: 0, deletes: 0 });
  });

  it('moves the pod off a node that stops tolerating its taint only once another pod is available', () => {
    const toleration = { key: CONTROL_PLANE, operator: 'Exists' } as const;
    const nodes = [aNode('node-0').tainted(CONTROL_PLANE, 'NoSchedule').build(), ...someNodes(5).slice(1)];
    const cluster = simulate(aDaemonSet('foo').tolerating(toleration).withRollingUpdate(0, 1).build(), nodes);
    expect(countActions(cluster.step())).toEqual({ creates: 5, deletes: 0 });
    cluster.markReady();

    cluster.updateDaemonSet((ds) => ({
      ...aDaemonSet('foo').withRollingUpdate(0, 1).build(),
      generation: ds.generation,
    }));

    // Five available pods for four desired nodes: the tainted node's pod may go, and one node surges.
    expect(countActions(cluster.step())).toEqual({ creates: 1, deletes: 1 });
    expect(cluster.terminatingPods().map((pod) => pod.nodeName)).toEqual(['node-0']);
    expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 0 });
    for (let wave = 0; wave < 3; wave += 1) {
      cluster.markReady();
      expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 1 });
      expect(countActions(cluster.step())).toEqual({ creates: 1, deletes: 0 });
      expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 0 });
    }
    cluster.markReady();
    expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 1 });
    cluster.finishTerminations();
    expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 0 });
    expect(cluster.status).toMatchObject({ desiredNumberScheduled: 4, updatedNumberScheduled: 4, numberAvailable: 4 });
  });

  it('scales a percentage maxSurge against the desired nodes, rounding up', () => {
    const cluster = simulate(aDaemonSet('foo').withRollingUpdate(0, { percent: 30 }).build(), someNodes(5));
    cluster.settle();

    cluster.updateImage('foo2/bar2');

    expect(countActions(cluster.step())).toEqual({ creates: 2, deletes: 0 });
  });

  it('creates a pod beside a terminating one, but never two new pods on a node', () => {
    const cluster = simulate(aDaemonSet('foo').withRollingUpdate(0, 1).build(), someNodes(1));
    cluster.settle();
    cluster.updateImage('foo2/bar2');
    cluster.step();
    cluster.markReady();
    expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 1 });

    const step = cluster.step();

    expect(countActions(step)).toEqual({ creates: 0, deletes: 0 });
    expect(cluster.podsOn('node-0')).toHaveLength(2);
  });
});
