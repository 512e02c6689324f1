import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { planReconcile } from '../../lib/reconcile/plan-reconcile.js';
import { activePods, findUpdatedPodsOnNode } from '../../lib/rollout/node-view.js';
import { planManage } from '../../lib/rollout/plan-manage.js';
import { planRollingUpdate } from '../../lib/rollout/plan-rolling-update.js';
import { countStatus } from '../../lib/rollout/plan-status.js';
import { planSync } from '../../lib/rollout/plan-sync.js';
import { isPodAvailable } from '../../lib/rollout/pod-availability.js';
import { arbControls, arbPermutation, arbSnapshot, NOW } from './rollout-arbitraries.js';
import { applyToViews, kubernetesUnavailable, rolloutContext } from './rollout-context.js';

const anySnapshot = arbSnapshot({ controls: arbControls() });

describe('planRollingUpdate invariants', () => {
  test.prop([anySnapshot])(
    'without surge, never leaves more nodes unavailable than the budget or than before',
    (snapshot) => {
      const { input, hash, exempt } = rolloutContext(snapshot);
      fc.pre(input.budget.maxSurge === 0);
      const minReady = snapshot.daemonSet.minReadySeconds;
      const before = kubernetesUnavailable(input.nodes, hash, minReady, exempt);

      const plan = planRollingUpdate(input);

      const after = kubernetesUnavailable(applyToViews(input.nodes, plan, hash), hash, minReady, exempt);
      expect(after).toBeLessThanOrEqual(Math.max(input.budget.maxUnavailable, before));
    },
  );

  test.prop([anySnapshot])(
    'without surge only deletes old pods; with surge keeps an available pod on desired nodes',
    (snapshot) => {
      const { input, hash } = rolloutContext(snapshot);
      const minReady = snapshot.daemonSet.minReadySeconds;

      const plan = planRollingUpdate(input);

      if (input.budget.maxSurge === 0) {
        expect(plan.createOn).toEqual([]);
        expect(plan.deletions.every(({ pod }) => pod.revisionHash !== hash)).toBe(true);
        return;
      }
      for (const { pod } of plan.deletions) {
        const view = input.nodes.find((node) => node.name === pod.nodeName);
        if (!view?.decision.shouldRun || !isPodAvailable(pod, minReady, NOW)) continue;
        const others = activePods(view).filter((other) => other !== pod && isPodAvailable(other, minReady, NOW));
        expect(others.length).toBeGreaterThan(0);
      }
    },
  );

  test.prop([anySnapshot])(
    'with surge, adds at most max(0, maxSurge − surging) pods beside available old ones',
    (snapshot) => {
      const { input, hash, exempt } = rolloutContext(snapshot);
      fc.pre(input.budget.maxSurge > 0);
      const minReady = snapshot.daemonSet.minReadySeconds;
      const surging = input.nodes.filter((view) => {
        if (exempt.has(view.name)) return false;
        const found = findUpdatedPodsOnNode(view, hash);
        if (!found.ok) return true;
        return found.oldPod !== undefined && found.newPod !== undefined && !isPodAvailable(found.newPod, minReady, NOW);
      }).length;

      const plan = planRollingUpdate(input);

      const besideAvailable = plan.createOn.filter((name) => {
        const view = input.nodes.find((node) => node.name === name);
        const found = view === undefined ? undefined : findUpdatedPodsOnNode(view, hash);
        return found?.ok === true && found.oldPod !== undefined && isPodAvailable(found.oldPod, minReady, NOW);
      });
      expect(besideAvailable.length).toBeLessThanOrEqual(Math.max(0, input.budget.maxSurge - surging));
    },
  );

  test.prop([anySnapshot])('starts no replacement outside the update scope', (snapshot) => {
    const { input, hash } = rolloutContext(snapshot);
    const { scope } = input;
    fc.pre(scope !== undefined);

    const plan = planRollingUpdate(input);

    expect(plan.createOn.filter((name) => !scope.has(name))).toEqual([]);
    const started = plan.deletions.filter(({ pod }) => {
      const view = input.nodes.find((node) => node.name === pod.nodeName);
      return view !== undefined && !activePods(view).some((other) => other.revisionHash === hash);
    });
    expect(started.filter(({ pod }) => !scope.has(pod.nodeName))).toEqual([]);
  });
});

describe('countStatus invariants', () => {
  test.prop([anySnapshot])('orders the counters and derives numberUnavailable', (snapshot) => {
    const { views, hash } = rolloutContext(snapshot);

    const status = countStatus(views.nodes, hash, snapshot.daemonSet.minReadySeconds, NOW);

    expect(status.numberAvailable).toBeLessThanOrEqual(status.numberReady);
    expect(status.numberReady).toBeLessThanOrEqual(status.currentNumberScheduled);
    expect(status.currentNumberScheduled).toBeLessThanOrEqual(status.desiredNumberScheduled);
    expect(status.updatedNumberScheduled).toBeLessThanOrEqual(status.currentNumberScheduled);
    expect(status.numberUnavailable).toBe(status.desiredNumberScheduled - status.numberAvailable);
  });
});

describe('planSync invariants', () => {
  const syncOf = (snapshot: Parameters<typeof rolloutContext>[0]) => {
    const { views, hash, desired, exempt, input } = rolloutContext(snapshot);
    const common = {
      daemonSet: snapshot.daemonSet,
      hash,
      nodes: views.nodes,
      failedPodBackoff: snapshot.memory.failedPodBackoff,
      now: NOW,
    };
    const sync = planSync({
      ...common,
      orphans: views.orphans,
      desiredNumberScheduled: desired,
      scope: input.scope,
      exempt,
    });
    return { sync, manage: planManage(common), orphans: views.orphans };
  };

  test.prop([anySnapshot])('is either the manage loop or the rolling update, never both', (snapshot) => {
    const { sync, manage, orphans } = syncOf(snapshot);
    const managed = manage.createOn.length > 0 || manage.deletions.length > 0 || orphans.length > 0;

    if (sync.phase === 'rollingUpdate') expect(managed).toBe(false);
    if (managed && !snapshot.daemonSet.rollout.frozen) {
      expect(sync.phase).toBe('manage');
      expect(sync.createOn).toEqual(manage.createOn);
      expect(sync.deletions).toEqual([...manage.deletions, ...orphans.map((pod) => ({ pod, reason: 'orphaned' }))]);
    }
  });

  test.prop([arbSnapshot({ controls: arbControls().map((controls) => ({ ...controls, frozen: true })) })])(
    'changes nothing but orphans while frozen',
    (snapshot) => {
      const { sync } = syncOf(snapshot);

      expect(sync.createOn).toEqual([]);
      expect(sync.deletions.every(({ reason }) => reason === 'orphaned')).toBe(true);
    },
  );

  test.prop([anySnapshot])('makes no rolling-update actions while paused or for OnDelete', (snapshot) => {
    fc.pre(snapshot.daemonSet.rollout.paused || snapshot.daemonSet.updateStrategy.type === 'OnDelete');

    const { sync } = syncOf(snapshot);

    expect(sync.phase).not.toBe('rollingUpdate');
  });
});

describe('planReconcile', () => {
  test.prop([
    anySnapshot.chain((snapshot) =>
      fc.tuple(
        fc.constant(snapshot),
        arbPermutation(snapshot.nodes),
        arbPermutation(snapshot.pods),
        arbPermutation(snapshot.revisions),
      ),
    ),
  ])('does not depend on the order of nodes, pods or revisions', ([snapshot, nodes, pods, revisions]) => {
    const step = planReconcile(snapshot, NOW);

    const shuffled = planReconcile({ ...snapshot, nodes, pods, revisions }, NOW);

    expect(shuffled).toEqual(step);
  });
});
