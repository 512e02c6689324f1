import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { nodeShouldRunDaemonPod } from '../../lib/placement/node-should-run-daemon-pod.js';
import { isInBackoff } from '../../lib/rollout/failed-pod-backoff.js';
import { activePods, isTerminal, toNodeViews } from '../../lib/rollout/node-view.js';
import { type ManageInput, planManage } from '../../lib/rollout/plan-manage.js';
import { allowsSurge } from '../../lib/rollout/rollout-budget.js';
import { arbControls, arbPermutation, arbSnapshot, NOW } from './rollout-arbitraries.js';
import { rolloutContext } from './rollout-context.js';

const anySnapshot = arbSnapshot({ controls: arbControls() });

function manageInput(snapshot: Parameters<typeof rolloutContext>[0]): ManageInput {
  const { views, hash } = rolloutContext(snapshot);
  return {
    daemonSet: snapshot.daemonSet,
    hash,
    nodes: views.nodes,
    failedPodBackoff: snapshot.memory.failedPodBackoff,
    now: NOW,
  };
}

describe('planManage invariants', () => {
  test.prop([anySnapshot])('creates only where the pod should run and no pod could still run', (snapshot) => {
    const input = manageInput(snapshot);
    const surge = allowsSurge(snapshot.daemonSet.updateStrategy);

    const plan = planManage(input);

    for (const name of plan.createOn) {
      const view = input.nodes.find((node) => node.name === name);
      if (view === undefined) throw new Error(`created on unknown node ${name}`);
      expect(view.decision.shouldRun).toBe(true);
      const holding = surge ? activePods(view).filter((pod) => !isTerminal(pod)) : view.pods;
      expect(holding).toEqual([]);
    }
  });

  test.prop([anySnapshot])('leaves no node with two running pods without surge', (snapshot) => {
    const input = manageInput(snapshot);
    fc.pre(!allowsSurge(snapshot.daemonSet.updateStrategy));

    const plan = planManage(input);

    const deleted = new Set(plan.deletions.map(({ pod }) => pod.name));
    for (const view of input.nodes) {
      const left = activePods(view).filter((pod) => !isTerminal(pod) && !deleted.has(pod.name));
      expect(left.length).toBeLessThanOrEqual(1);
    }
  });

  test.prop([anySnapshot])(
    'deletes at most one failed pod per node per step, and only outside its backoff',
    (snapshot) => {
      const input = manageInput(snapshot);

      const plan = planManage(input);

      const failed = plan.deletions.filter(({ reason }) => reason === 'failed').map(({ pod }) => pod.nodeName);
      expect(new Set(failed).size).toBe(failed.length);
      for (const nodeName of failed) {
        expect(isInBackoff(input.failedPodBackoff[nodeName], snapshot.daemonSet.generation, NOW)).toBe(false);
      }
    },
  );

  test.prop([
    anySnapshot.chain((snapshot) =>
      fc.tuple(fc.constant(snapshot), arbPermutation(snapshot.nodes), arbPermutation(snapshot.pods)),
    ),
  ])('does not depend on the order of nodes or pods', ([snapshot, nodes, pods]) => {
    const input = manageInput(snapshot);
    const decide = (node: Parameters<typeof nodeShouldRunDaemonPod>[0]) =>
      nodeShouldRunDaemonPod(node, snapshot.daemonSet.placement);

    const shuffled = planManage({ ...input, nodes: toNodeViews(nodes, pods, decide).nodes });

    expect(shuffled).toEqual(planManage(input));
  });
});
