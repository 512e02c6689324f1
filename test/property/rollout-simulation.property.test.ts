import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { DaemonSet, UpdateStrategy } from '../../lib/model/daemon-set.js';
import { planReconcile } from '../../lib/reconcile/plan-reconcile.js';
import { computeRevisionHash } from '../../lib/revision/compute-revision-hash.js';
import { isPodAvailable } from '../../lib/rollout/pod-availability.js';
import { rolloutBudget } from '../../lib/rollout/rollout-budget.js';
import { aDaemonSet } from '../fixtures/builders/a-daemon-set.js';
import { aNode } from '../fixtures/builders/a-node.js';
import { countActions, type Simulation, simulate, someNodes } from '../fixtures/builders/simulate.js';
import { arbLimit, arbStrategy } from './rollout-arbitraries.js';

const WORLD_EVENTS = [
  'step',
  'step',
  'finish',
  'ready',
  'advance',
  'fail',
  'update',
  'taint',
  'untaint',
  'join',
  'leave',
] as const;
type WorldEvent = (typeof WORLD_EVENTS)[number];

const withStrategy = (strategy: UpdateStrategy): DaemonSet => ({
  ...aDaemonSet('agent').build(),
  updateStrategy: strategy,
});

describe('planReconcile simulated over many steps', () => {
  test.prop([fc.integer({ min: 1, max: 8 }), arbStrategy(), fc.constantFrom(0, 10)])(
    'reaches a fixpoint: once every pod is current and available, re-planning does nothing',
    (nodeCount, strategy, minReadySeconds) => {
      const cluster = simulate({ ...withStrategy(strategy), minReadySeconds }, someNodes(nodeCount));
      cluster.settle();
      cluster.updateImage('agent:2');
      cluster.settle();

      cluster.advance(3600);
      const step = cluster.plan();

      expect(step.actions).toEqual([]);
      expect(step.recheckAfterSeconds).toBeUndefined();
      if (strategy.type === 'RollingUpdate') {
        expect(step.status).toMatchObject({ updatedNumberScheduled: nodeCount, numberAvailable: nodeCount });
      }
    },
  );

  test.prop([fc.integer({ min: 1, max: 12 }), arbLimit(), fc.boolean()])(
    'converges in ceil(N / limit) waves when every new pod becomes ready at once',
    (nodeCount, limit, surge) => {
      const strategy: UpdateStrategy = surge
        ? { type: 'RollingUpdate', maxUnavailable: 0, maxSurge: limit }
        : { type: 'RollingUpdate', maxUnavailable: limit, maxSurge: 0 };
      const budget = rolloutBudget(strategy, nodeCount);
      const perWave = budget.maxSurge > 0 ? budget.maxSurge : budget.maxUnavailable;
      const cluster = simulate(withStrategy(strategy), someNodes(nodeCount));
      cluster.settle();
      cluster.updateImage('agent:2');

      const waves = countWaves(cluster, budget.maxSurge > 0);

      expect(waves).toBe(Math.ceil(nodeCount / perWave));
    },
  );

  test.prop([
    fc.integer({ min: 1, max: 6 }),
    arbLimit().map((maxUnavailable): UpdateStrategy => ({ type: 'RollingUpdate', maxUnavailable, maxSurge: 0 })),
    fc.array(fc.constantFrom(...WORLD_EVENTS), { maxLength: 40 }),
  ])(
    'never puts two running pods on a node without surge, whatever happens in between',
    (nodeCount, strategy, events) => {
      const cluster = simulate(withStrategy(strategy), someNodes(nodeCount));

      for (const [index, event] of events.entries()) {
        happen(cluster, event, index);

        for (const node of cluster.nodes) {
          const running = cluster.podsOn(node.name).filter((pod) => pod.deletionTimestamp === undefined);
          expect(running.length).toBeLessThanOrEqual(1);
        }
      }
    },
  );

  test.prop([
    fc.integer({ min: 1, max: 6 }),
    arbStrategy(),
    fc.constantFrom(0, 10),
    fc.array(fc.constantFrom(...WORLD_EVENTS), { maxLength: 40 }),
  ])(
    "writes a step's status once: a next plan with nothing to do finds the same status in the state the step leaves",
    (nodeCount, strategy, minReadySeconds, events) => {
      const cluster = simulate({ ...withStrategy(strategy), minReadySeconds }, someNodes(nodeCount));

      for (const [index, event] of events.entries()) {
        happen(cluster, event, index);
        const last = cluster.steps.at(-1);
        if (event === 'step' && last !== undefined && last.revertTemplate === undefined) {
          // As the store reads them back: a pod the step created has no status report yet, so it is unscheduled.
          const created = new Set(
            last.actions.flatMap((action) => (action.kind === 'createPod' ? [action.podName] : [])),
          );
          const snapshot = cluster.snapshot();
          const pods = snapshot.pods.map((pod) => (created.has(pod.name) ? { ...pod, scheduled: false } : pod));
          // A next step that acts writes its status with its actions anyway; one that does not must find nothing new.
          const next = planReconcile({ ...snapshot, pods }, cluster.now);
          if (next.actions.length === 0 && next.revisions.length === 0) expect(next.status).toEqual(last.status);
        }
      }
    },
  );

  test.prop([
    fc.integer({ min: 1, max: 8 }),
    arbStrategy().filter((strategy) => strategy.type === 'RollingUpdate'),
    fc.constantFrom(0, 10),
    fc.array(fc.constantFrom('step', 'step', 'finish', 'ready', 'advance'), { maxLength: 60 }),
  ])(
    'keeps a healthy rollout within maxUnavailable (and fully available with surge)',
    (nodeCount, strategy, minReadySeconds, events) => {
      const cluster = simulate({ ...withStrategy(strategy), minReadySeconds }, someNodes(nodeCount));
      cluster.settle();
      cluster.updateImage('agent:2');
      const budget = rolloutBudget(strategy, nodeCount);
      const allowed = budget.maxSurge > 0 ? 0 : budget.maxUnavailable;

      for (const [index, event] of events.entries()) {
        happen(cluster, event, index);

        const unavailable = cluster.nodes.filter(
          (node) =>
            !cluster
              .podsOn(node.name)
              .some((pod) => pod.deletionTimestamp === undefined && isPodAvailable(pod, minReadySeconds, cluster.now)),
        );
        expect(unavailable.length).toBeLessThanOrEqual(allowed);
      }
    },
  );
});

/** One thing happening to a simulated cluster; `index` picks which node or pod it hits. */
function happen(cluster: Simulation, event: WorldEvent, index: number): void {
  const node = cluster.nodes[index % Math.max(1, cluster.nodes.length)];
  const onNode = (pod: { nodeName: string }) => pod.nodeName === node?.name;
  switch (event) {
    case 'step':
      cluster.step();
      return;
    case 'finish':
      cluster.finishTerminations(index % 2 === 0 ? () => true : onNode);
      return;
    case 'ready':
      cluster.markReady(index % 2 === 0 ? () => true : onNode);
      return;
    case 'advance':
      cluster.advance(7);
      return;
    case 'fail':
      cluster.endIn('Failed', onNode);
      return;
    case 'update':
      cluster.updateImage(`agent:${index}`);
      return;
    case 'taint':
      if (node !== undefined)
        cluster.replaceNode({ ...node, taints: [{ key: 'x', effect: index % 2 ? 'NoSchedule' : 'NoExecute' }] });
      return;
    case 'untaint':
      if (node !== undefined) cluster.replaceNode({ ...node, taints: [] });
      return;
    case 'join':
      cluster.addNode(aNode(`joined-${index}`).build());
      return;
    case 'leave':
      if (node !== undefined) cluster.removeNode(node.name);
      return;
  }
}

/** Runs a rollout in which every new pod turns ready at once, counting the waves of replacements. */
function countWaves(cluster: Simulation, surge: boolean): number {
  let waves = 0;
  while (cluster.activePods().some((pod) => pod.revisionHash !== computeRevisionHash(cluster.daemonSet.template))) {
    const first = countActions(cluster.step());
    expect(first.creates + first.deletes).toBeGreaterThan(0);
    if (surge) {
      cluster.markReady();
      cluster.step();
    } else {
      cluster.finishTerminations();
      cluster.step();
      cluster.markReady();
    }
    cluster.finishTerminations();
    waves += 1;
  }
  return waves;
}
