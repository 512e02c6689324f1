import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { labelSelectorMatches } from '../../lib/labels/label-selector-matches.js';
import { DEFAULT_ROLLOUT_CONTROLS } from '../../lib/model/daemon-set.js';
import { nodeReadyStatus } from '../../lib/model/node.js';
import { planReconcile } from '../../lib/reconcile/plan-reconcile.js';
import { findUpdatedPodsOnNode } from '../../lib/rollout/node-view.js';
import { planUpdateScope, rolloutNodes } from '../../lib/rollout/plan-update-scope.js';
import { scaleUp } from '../../lib/rollout/rollout-budget.js';
import { trackNotReadyNodes } from '../../lib/rollout/track-not-ready-nodes.js';
import { arbControls, arbSnapshot, NOW, OLD_HASH } from './rollout-arbitraries.js';
import { rolloutContext } from './rollout-context.js';

const anySnapshot = arbSnapshot({ controls: arbControls() });
const kubernetesSnapshot = arbSnapshot();

describe('planUpdateScope invariants', () => {
  test.prop([kubernetesSnapshot])('puts every node in scope without partition and canary selector', (snapshot) => {
    const { hash, views, desired } = rolloutContext(snapshot);

    expect(planUpdateScope(snapshot.daemonSet, hash, rolloutNodes(views.nodes), desired)).toBeUndefined();
  });

  test.prop([anySnapshot])('holds back partition nodes, ranking nodes on the current revision first', (snapshot) => {
    const { hash, views, desired } = rolloutContext(snapshot);
    const nodes = rolloutNodes(views.nodes);
    const scope = planUpdateScope(snapshot.daemonSet, hash, nodes, desired);
    fc.pre(scope !== undefined);
    const { partition } = snapshot.daemonSet.rollout;
    const held = partition === undefined ? 0 : scaleUp(partition, desired);
    const current = nodes.filter((view) => {
      const found = findUpdatedPodsOnNode(view, hash);
      return !found.ok || found.newPod !== undefined;
    });

    expect(scope.size).toBeLessThanOrEqual(Math.max(0, nodes.length - held));
    const currentInScope = current.filter((view) => scope.has(view.name)).length;
    expect(currentInScope).toBe(Math.min(current.length, scope.size));
  });

  test.prop([anySnapshot])('takes a node running only old pods only if it matches the canary selector', (snapshot) => {
    const { hash, views, desired } = rolloutContext(snapshot);
    const selector = snapshot.daemonSet.rollout.canarySelector;
    fc.pre(selector !== undefined);

    const scope = planUpdateScope(snapshot.daemonSet, hash, rolloutNodes(views.nodes), desired);

    for (const view of views.nodes) {
      const found = findUpdatedPodsOnNode(view, hash);
      const onlyOld = found.ok && found.newPod === undefined && found.oldPod !== undefined;
      if (onlyOld && scope?.has(view.name)) expect(labelSelectorMatches(selector, view.node.labels)).toBe(true);
    }
  });
});

describe('trackNotReadyNodes invariants', () => {
  test.prop([anySnapshot, fc.boolean()])('keeps only desired NotReady nodes', (snapshot, fromMemory) => {
    const { hash, views } = rolloutContext(snapshot);
    const previous = fromMemory
      ? (snapshot.memory.rollout?.notReadyAtStart ?? [])
      : views.nodes.map((view) => view.name);

    const tracked = trackNotReadyNodes(previous, views.nodes, hash);

    for (const name of tracked) {
      const view = views.nodes.find((node) => node.name === name);
      expect(view?.decision.shouldRun).toBe(true);
      expect(view === undefined ? 'True' : nodeReadyStatus(view.node)).not.toBe('True');
    }
  });

  test.prop([anySnapshot])('adds no node that already runs the current revision', (snapshot) => {
    const { hash, views } = rolloutContext(snapshot);
    const previous = snapshot.memory.rollout?.notReadyAtStart ?? [];

    const tracked = trackNotReadyNodes(previous, views.nodes, hash);

    for (const name of tracked.filter((node) => !previous.includes(node))) {
      const pods = views.nodes.find((node) => node.name === name)?.pods ?? [];
      expect(pods.some((pod) => pod.deletionTimestamp === undefined && pod.revisionHash === hash)).toBe(false);
    }
  });
});

describe('planProgress invariants', () => {
  test.prop([arbSnapshot({ controls: arbControls().map(({ progressDeadlineSeconds: _, ...rest }) => rest) })])(
    'adds no condition, event or revert without a progress deadline',
    (snapshot) => {
      const step = planReconcile(snapshot, NOW);

      expect(step.status.conditions).toEqual([]);
      expect(
        step.events.filter((event) => event.reason.startsWith('Progress') || event.reason === 'RolloutReverted'),
      ).toEqual([]);
      expect(step.revertTemplate).toBeUndefined();
    },
  );

  test.prop([anySnapshot])(
    'reverts only with autoRevert, past the deadline, to the last complete revision',
    (snapshot) => {
      const step = planReconcile(snapshot, NOW);
      if (step.revertTemplate === undefined) return;

      expect(snapshot.daemonSet.rollout.autoRevert).toBe(true);
      expect(step.status.conditions).toEqual([
        expect.objectContaining({ status: 'False', reason: 'ProgressDeadlineExceeded' }),
      ]);
      const target = snapshot.revisions.find((revision) => revision.hash === OLD_HASH);
      expect(step.revertTemplate).toEqual({ template: target?.template, toRevision: target?.revision });
      expect(step.status.updateRevision).not.toBe(OLD_HASH);
    },
  );

  test.prop([anySnapshot])('never moves lastProgressAt back within a rollout, nor into the future', (snapshot) => {
    const before = snapshot.memory.rollout;

    const after = planReconcile(snapshot, NOW).memory.rollout;

    expect(after?.lastProgressAt).toBeLessThanOrEqual(NOW);
    if (before !== undefined && before.revisionHash === after?.revisionHash) {
      expect(after.lastProgressAt).toBeGreaterThanOrEqual(before.lastProgressAt);
    }
  });
});

describe('extensions left unset', () => {
  test.prop([kubernetesSnapshot])('plan exactly as their neutral settings do', (snapshot) => {
    const neutral = {
      ...snapshot,
      daemonSet: {
        ...snapshot.daemonSet,
        rollout: { ...DEFAULT_ROLLOUT_CONTROLS, partition: 0, canarySelector: {}, autoRevert: true },
      },
    };

    const plain = planReconcile(snapshot, NOW);
    const withNeutral = planReconcile(neutral, NOW);

    expect(withNeutral.actions).toEqual(plain.actions);
    expect(withNeutral.status).toEqual(plain.status);
  });
});
