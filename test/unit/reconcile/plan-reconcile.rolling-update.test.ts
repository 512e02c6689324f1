import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../lib/model/pod.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { countActions, simulate, someNodes } from '../../fixtures/builders/simulate.js';

describe('planReconcile rolling update without surge', () => {
  it('updates 5 nodes with maxUnavailable 2 in waves of 2, 2 and 1', () => {
    const cluster = simulate(aDaemonSet('foo').withRollingUpdate(2).build(), someNodes(5));
    expect(countActions(cluster.step())).toEqual({ creates: 5, deletes: 0 });
    cluster.markReady();

    cluster.updateImage('foo2/bar2');

    for (const wave of [2, 2, 1]) {
      expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: wave });
      // Without surge nothing is created while a pod, even a terminating one, holds the node.
      expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 0 });
      cluster.finishTerminations();
      expect(countActions(cluster.step())).toEqual({ creates: wave, deletes: 0 });
      expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 0 });
      cluster.markReady();
    }
    expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 0 });
    expect(cluster.status).toMatchObject({ desiredNumberScheduled: 5, updatedNumberScheduled: 5, numberAvailable: 5 });
  });

  it('stops after one wave while the new pods are not ready', () => {
    const cluster = simulate(aDaemonSet('foo').withRollingUpdate(3).build(), someNodes(5));
    cluster.settle();

    cluster.updateImage('foo2/bar2');

    expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 3 });
    cluster.finishTerminations();
    expect(countActions(cluster.step())).toEqual({ creates: 3, deletes: 0 });
    expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 0 });
    expect(cluster.status).toMatchObject({ updatedNumberScheduled: 3, numberAvailable: 2, numberUnavailable: 3 });
  });

  it('replaces every unavailable old pod at once, whatever maxUnavailable', () => {
    const cluster = simulate(aDaemonSet('foo').withRollingUpdate(3).build(), someNodes(5));
    expect(countActions(cluster.step())).toEqual({ creates: 5, deletes: 0 });

    cluster.updateImage('foo2/bar2');

    expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 5 });
    cluster.finishTerminations();
    expect(countActions(cluster.step())).toEqual({ creates: 5, deletes: 0 });
    expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 0 });
  });

  it('replaces unready old pods first and then only what the budget leaves', () => {
    const cluster = simulate(aDaemonSet('foo').withRollingUpdate(2).build(), someNodes(5));
    cluster.settle();
    cluster.markNotReady((pod) => pod.nodeName === 'node-4');

    cluster.updateImage('foo2/bar2');
    const step = cluster.step();

    expect(countActions(step)).toEqual({ creates: 0, deletes: 2 });
    expect(cluster.terminatingPods().map((pod) => pod.nodeName)).toEqual(['node-0', 'node-4']);
  });

  it('never touches the ready old pods while the unavailable budget is spent on unready new ones', () => {
    const cluster = simulate(aDaemonSet('foo').withRollingUpdate(10).build(), someNodes(20));
    cluster.settle();
    cluster.updateImage('foo2/bar2');
    cluster.step();
    cluster.finishTerminations();
    cluster.step();
    const oldReady = new Set(cluster.pods.filter((pod) => pod.ready).map((pod) => pod.name));
    expect(oldReady.size).toBe(10);

    for (const [index, maxUnavailable] of [0, 3, 7, 9, 1].entries()) {
      cluster.updateDaemonSet((ds) => ({
        ...ds,
        updateStrategy: { type: 'RollingUpdate', maxUnavailable, maxSurge: 0 },
      }));
      cluster.updateImage(`foo2/bar3-${index}`);

      expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 10 });
      cluster.finishTerminations();
      expect(countActions(cluster.step())).toEqual({ creates: 10, deletes: 0 });
      expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 0 });
      const readyNow = cluster.pods.filter((pod) => pod.ready).map((pod) => pod.name);
      expect(new Set(readyNow)).toEqual(oldReady);
    }
  });

  it('falls back to one node at a time when maxUnavailable and maxSurge are both 0', () => {
    const cluster = simulate(aDaemonSet('foo').withRollingUpdate(0, 0).build(), someNodes(3));
    cluster.settle();

    cluster.updateImage('foo2/bar2');

    expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 1 });
  });

  it.each([
    [{ percent: 30 }, 5, 2],
    [{ percent: 10 }, 5, 1],
    [{ percent: 50 }, 4, 2],
    [{ percent: 100 }, 3, 3],
  ])('scales maxUnavailable %o of %i desired nodes up to %i', (maxUnavailable, nodes, deletes) => {
    const cluster = simulate(aDaemonSet('foo').withRollingUpdate(maxUnavailable).build(), someNodes(nodes));
    cluster.settle();

    cluster.updateImage('foo2/bar2');

    expect(countActions(cluster.step())).toEqual({ creates: 0, deletes });
  });

  it('changes nothing when the template did not change', () => {
    const cluster = simulate(aDaemonSet('foo').withRollingUpdate(3).build(), someNodes(5));
    cluster.settle();

    cluster.updateDaemonSet((ds) => ({ ...ds, minReadySeconds: 0, updateStrategy: { ...ds.updateStrategy } }));

    expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 0 });
  });

  it('spends the budget already used by a terminating pod and an empty node', () => {
    const nodes = someNodes(5);
    const cluster = simulate(aDaemonSet('foo').withRollingUpdate(3).build(), nodes);
    cluster.settle();
    cluster.updateImage('foo2/bar2');
    expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 3 });
    cluster.finishTerminations((pod) => pod.nodeName === 'node-0');
    expect(countActions(cluster.step())).toEqual({ creates: 1, deletes: 0 });

    const step = cluster.step();

    // node-0: new, not ready; node-1 and node-2: terminating. Three unavailable: no further deletion.
    expect(countActions(step)).toEqual({ creates: 0, deletes: 0 });
  });

  it('deletes an available old pod on a node that no longer should run it, and does not replace it', () => {
    const cluster = simulate(aDaemonSet('foo').withRollingUpdate(1).build(), someNodes(2));
    cluster.settle();
    cluster.replaceNode(aNode('node-1').tainted('maintenance', 'NoSchedule').build());

    cluster.updateImage('foo2/bar2');
    const deleted = cluster.step();
    cluster.finishTerminations();
    const next = cluster.step();

    expect(deleted.actions).toEqual([
      expect.objectContaining({ kind: 'deletePod', nodeName: 'node-0', reason: 'outdated' }),
    ]);
    expect(countActions(next)).toEqual({ creates: 1, deletes: 0 });
    expect(cluster.settle().length).toBeGreaterThan(0);
    expect(cluster.podsOn('node-1')).toEqual([]);
    expect(cluster.status).toMatchObject({ desiredNumberScheduled: 1, numberMisscheduled: 0 });
  });

  it('never replaces pods under OnDelete, and recreates a deleted one at the current revision', () => {
    const cluster = simulate(aDaemonSet('foo').onDelete().build(), someNodes(3));
    cluster.settle();

    cluster.updateImage('foo2/bar2');
    expect(countActions(cluster.step())).toEqual({ creates: 0, deletes: 0 });
    cluster.pods = cluster.pods.filter((pod) => pod.nodeName !== 'node-1');
    const step = cluster.step();

    expect(step.actions).toEqual([
      expect.objectContaining({ kind: 'createPod', nodeName: 'node-1', revisionHash: cluster.hash }),
    ]);
    // The old pods stay outdated; the recreated one is counted by the step that creates it.
    expect(cluster.status).toMatchObject({ updatedNumberScheduled: 1, currentNumberScheduled: 3 });
  });

  it('waits minReadySeconds before counting a new pod available, and asks to look again then', () => {
    const cluster = simulate(aDaemonSet('foo').withRollingUpdate(1).withMinReadySeconds(30).build(), someNodes(2));
    cluster.settle();
    cluster.updateImage('foo2/bar2');
    cluster.step();
    cluster.finishTerminations();
    cluster.step();
    cluster.markReady();

    const waiting = cluster.step();
    cluster.advance(30);
    const onTheBoundary = cluster.plan();
    cluster.advance(1);
    const after = cluster.step();

    expect(countActions(waiting)).toEqual({ creates: 0, deletes: 0 });
    expect(waiting.recheckAfterSeconds).toBe(31);
    expect(waiting.status).toMatchObject({ numberReady: 2, numberAvailable: 1 });
    expect(countActions(onTheBoundary)).toEqual({ creates: 0, deletes: 0 });
    expect(countActions(after)).toEqual({ creates: 0, deletes: 1 });
  });

  it('takes candidates in node-name order', () => {
    const cluster = simulate(aDaemonSet('foo').withRollingUpdate(2).build(), [
      aNode('zeta').build(),
      aNode('alpha').build(),
      aNode('mid').build(),
    ]);
    cluster.settle();

    cluster.updateImage('foo2/bar2');
    cluster.step();

    expect(cluster.terminatingPods().map((pod: Pod) => pod.nodeName)).toEqual(['alpha', 'mid']);
  });
});
