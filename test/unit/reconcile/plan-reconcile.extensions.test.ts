import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../lib/model/pod.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { countActions, type Simulation, simulate, someNodes } from '../../fixtures/builders/simulate.js';

const nodesRunning = (cluster: Simulation, hash: string): readonly string[] =>
  cluster
    .activePods()
    .filter((pod: Pod) => pod.revisionHash === hash)
    .map((pod) => pod.nodeName)
    .toSorted();

describe('planReconcile rollout extensions', () => {
  describe('paused', () => {
    it('replaces nothing, yet gives a joining node a pod of the current revision and replaces failed pods', () => {
      const cluster = simulate(aDaemonSet('agent').withRollingUpdate(2).build(), someNodes(3));
      cluster.settle();
      const oldHash = cluster.hash;
      cluster.updateDaemonSet((ds) => ({ ...ds, rollout: { ...ds.rollout, paused: true } }));

      cluster.updateImage('agent:2');
      const idle = cluster.step();
      cluster.addNode(aNode('node-9').build());
      const joined = cluster.step();
      cluster.endIn('Failed', (pod) => pod.nodeName === 'node-0');
      const failed = cluster.step();
      cluster.finishTerminations();
      const replaced = cluster.step();

      expect(countActions(idle)).toEqual({ creates: 0, deletes: 0 });
      expect(joined.actions).toEqual([
        expect.objectContaining({ kind: 'createPod', nodeName: 'node-9', revisionHash: cluster.hash }),
      ]);
      expect(failed.actions).toEqual([expect.objectContaining({ kind: 'deletePod', reason: 'failed' })]);
      expect(replaced.actions).toEqual([expect.objectContaining({ kind: 'createPod', nodeName: 'node-0' })]);
      expect(nodesRunning(cluster, oldHash)).toEqual(['node-1', 'node-2']);
    });

    it('goes on where it stopped when resumed', () => {
      const cluster = simulate(aDaemonSet('agent').withRollout({ paused: true }).build(), someNodes(3));
      cluster.settle();
      cluster.updateImage('agent:2');
      cluster.settle();

      cluster.updateDaemonSet((ds) => ({ ...ds, rollout: { ...ds.rollout, paused: false } }));
      cluster.settle();

      expect(nodesRunning(cluster, cluster.hash)).toEqual(['node-0', 'node-1', 'node-2']);
    });
  });

  describe('frozen', () => {
    it('changes no pod at all, but still reports status and collects pods of removed nodes', () => {
      const cluster = simulate(aDaemonSet('agent').build(), someNodes(3));
      cluster.settle();
      cluster.updateDaemonSet((ds) => ({ ...ds, rollout: { ...ds.rollout, frozen: true } }));

      cluster.updateImage('agent:2');
      cluster.addNode(aNode('node-9').build());
      cluster.endIn('Failed', (pod) => pod.nodeName === 'node-0');
      const frozen = cluster.step();
      cluster.removeNode('node-2');
      const collected = cluster.step();

      expect(countActions(frozen)).toEqual({ creates: 0, deletes: 0 });
      expect(frozen.status).toMatchObject({
        desiredNumberScheduled: 4,
        currentNumberScheduled: 3,
        updatedNumberScheduled: 0,
      });
      expect(collected.actions).toEqual([expect.objectContaining({ nodeName: 'node-2', reason: 'orphaned' })]);
    });
  });

  describe('partition', () => {
    it('keeps the alphabetically first nodes on the old revision, as OpenKruise does', () => {
      const cluster = simulate(aDaemonSet('agent').withRollout({ partition: 2 }).build(), someNodes(5));
      cluster.settle();
      const oldHash = cluster.hash;

      cluster.updateImage('agent:2');
      cluster.settle();

      expect(nodesRunning(cluster, cluster.hash)).toEqual(['node-2', 'node-3', 'node-4']);
      expect(nodesRunning(cluster, oldHash)).toEqual(['node-0', 'node-1']);
      expect(cluster.status).toMatchObject({ updatedNumberScheduled: 3, numberAvailable: 5 });
    });

    it('rounds a percentage of the desired nodes up', () => {
      const cluster = simulate(
        aDaemonSet('agent')
          .withRollout({ partition: { percent: 30 } })
          .build(),
        someNodes(5),
      );
      cluster.settle();

      cluster.updateImage('agent:2');
      cluster.settle();

      expect(nodesRunning(cluster, cluster.hash)).toEqual(['node-2', 'node-3', 'node-4']);
    });

    it('gives a joining node the current revision', () => {
      const cluster = simulate(aDaemonSet('agent').withRollout({ partition: 5 }).build(), someNodes(2));
      cluster.settle();
      cluster.updateImage('agent:2');
      cluster.settle();

      cluster.addNode(aNode('node-a').build());
      cluster.settle();

      expect(nodesRunning(cluster, cluster.hash)).toEqual(['node-a']);
    });

    it('finishes the rollout once the partition is lowered to 0', () => {
      const cluster = simulate(aDaemonSet('agent').withRollout({ partition: 2 }).build(), someNodes(4));
      cluster.settle();
      cluster.updateImage('agent:2');
      cluster.settle();

      cluster.updateDaemonSet((ds) => ({ ...ds, rollout: { ...ds.rollout, partition: 0 } }));
      cluster.settle();

      expect(nodesRunning(cluster, cluster.hash)).toEqual(['node-0', 'node-1', 'node-2', 'node-3']);
    });
  });

  describe('canary selector', () => {
    it('updates only the nodes whose labels match', () => {
      const nodes = someNodes(4).map((node, index) =>
        index % 2 === 1 ? { ...node, labels: { ...node.labels, canary: 'true' } } : node,
      );
      const selector = { matchLabels: { canary: 'true' } };
      const cluster = simulate(aDaemonSet('agent').withRollout({ canarySelector: selector }).build(), nodes);
      cluster.settle();

      cluster.updateImage('agent:2');
      cluster.settle();

      expect(nodesRunning(cluster, cluster.hash)).toEqual(['node-1', 'node-3']);
    });
  });

  describe('notReadyAware', () => {
    const rollout = (notReadyAware: boolean): Simulation => {
      const nodes = [...someNodes(4), aNode('node-4').build()];
      const cluster = simulate(aDaemonSet('agent').withRollout({ notReadyAware }).build(), nodes);
      cluster.settle();
      cluster.replaceNode(aNode('node-4').notReady().build());
      cluster.markNotReady((pod) => pod.nodeName === 'node-4');
      cluster.updateImage('agent:2');
      // The dead node's kubelet never confirms a deletion.
      for (let index = 0; index < 30; index += 1) {
        const step = cluster.step();
        if (step.actions.length > 0) continue;
        cluster.finishTerminations((pod) => pod.nodeName !== 'node-4');
        cluster.markReady((pod) => pod.nodeName !== 'node-4');
      }
      return cluster;
    };

    it('stalls, as Kubernetes does, when a node was NotReady before the rollout reached it', () => {
      const cluster = rollout(false);

      // The dead node's unready pod is replaced at once, and its stuck termination uses up maxUnavailable.
      expect(nodesRunning(cluster, cluster.hash)).toEqual([]);
      expect(cluster.terminatingPods().map((pod) => pod.nodeName)).toEqual(['node-4']);
    });

    it('rolls past such a node and reports it', () => {
      const cluster = rollout(true);

      expect(nodesRunning(cluster, cluster.hash)).toEqual(['node-0', 'node-1', 'node-2', 'node-3']);
      expect(cluster.status).toMatchObject({ numberUnavailableOnNotReadyNodes: 1, updatedNumberScheduled: 4 });
    });

    it('counts a node that turns NotReady after receiving the new revision', () => {
      const cluster = simulate(aDaemonSet('agent').withRollout({ notReadyAware: true }).build(), someNodes(3));
      cluster.settle();
      cluster.updateImage('agent:2');
      cluster.step();
      cluster.finishTerminations().step();
      cluster.markReady();
      cluster.replaceNode(aNode('node-0').notReady().build());
      cluster.markNotReady((pod) => pod.nodeName === 'node-0');

      const step = cluster.step();

      expect(countActions(step)).toEqual({ creates: 0, deletes: 0 });
      expect(step.status.numberUnavailableOnNotReadyNodes).toBe(0);
    });
  });
});
