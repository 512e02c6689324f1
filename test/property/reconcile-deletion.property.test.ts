import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { PodDeletion } from '../../lib/model/pod.js';
import { emptyDaemonSetStatus } from '../../lib/model/status.js';
import { planDaemonSetDeletion } from '../../lib/reconcile/plan-daemon-set-deletion.js';
import { toPodActions } from '../../lib/reconcile/to-pod-actions.js';
import { arbControls, arbPermutation, arbSnapshot, NOW } from './rollout-arbitraries.js';

const anySnapshot = arbSnapshot({ controls: arbControls() });

describe('planDaemonSetDeletion invariants', () => {
  test.prop([anySnapshot])('creates no pod, writes no revision and keeps status and memory', (snapshot) => {
    const step = planDaemonSetDeletion(snapshot, NOW);

    expect(step.actions.filter((action) => action.kind === 'createPod')).toEqual([]);
    expect(step.revisions).toEqual([]);
    expect(step.status).toEqual(snapshot.status ?? emptyDaemonSetStatus());
    expect(step.memory).toBe(snapshot.memory);
  });

  test.prop([anySnapshot])(
    'deletes only pods not yet terminating or whose node is gone, orphaned exactly when it is gone',
    (snapshot) => {
      const existing = new Set(snapshot.nodes.map((node) => node.name));
      const pods = new Map(snapshot.pods.map((pod) => [pod.name, pod]));

      const step = planDaemonSetDeletion(snapshot, NOW);

      for (const action of step.actions) {
        const pod = pods.get(action.podName);
        expect(pod).toBeDefined();
        expect(!existing.has(action.nodeName) || pod?.deletionTimestamp === undefined).toBe(true);
        if (action.kind === 'deletePod') {
          expect(action.reason).toBe(existing.has(action.nodeName) ? 'daemonSetDeleted' : 'orphaned');
        }
      }
    },
  );

  test.prop([anySnapshot])(
    'deletes at most burstReplicas pods, and every such pod when there are no more',
    (snapshot) => {
      const existing = new Set(snapshot.nodes.map((node) => node.name));
      const due = snapshot.pods.filter((pod) => !existing.has(pod.nodeName) || pod.deletionTimestamp === undefined);

      const step = planDaemonSetDeletion(snapshot, NOW);

      expect(step.actions).toHaveLength(Math.min(due.length, snapshot.daemonSet.rollout.burstReplicas));
    },
  );

  test.prop([
    anySnapshot.chain((snapshot) =>
      fc.tuple(fc.constant(snapshot), arbPermutation(snapshot.nodes), arbPermutation(snapshot.pods)),
    ),
  ])('does not depend on the order of nodes or pods', ([snapshot, nodes, pods]) => {
    const step = planDaemonSetDeletion(snapshot, NOW);

    const shuffled = planDaemonSetDeletion({ ...snapshot, nodes, pods }, NOW);

    expect(shuffled).toEqual(step);
  });
});

const arbPodActionsInput = anySnapshot.chain((snapshot) =>
  fc.record({
    snapshot: fc.constant(snapshot),
    createOn: fc.subarray(snapshot.nodes.map((node) => node.name)),
    deletions: fc
      .subarray([...snapshot.pods])
      .map((pods) => pods.map((pod): PodDeletion => ({ pod, reason: 'outdated' }))),
  }),
);

describe('toPodActions invariants', () => {
  test.prop([arbPodActionsInput])(
    'takes at most burstReplicas creates and deletes, the first ones planned, creates first',
    ({ snapshot, createOn, deletions }) => {
      const burst = snapshot.daemonSet.rollout.burstReplicas;

      const { actions } = toPodActions({
        daemonSet: snapshot.daemonSet,
        hash: 'h',
        version: 1,
        createOn,
        deletions,
        now: NOW,
      });

      const creates = actions.filter((action) => action.kind === 'createPod');
      const deletes = actions.filter((action) => action.kind === 'deletePod');
      expect(actions).toEqual([...creates, ...deletes]);
      expect(creates.map((action) => action.nodeName)).toEqual(createOn.slice(0, burst));
      expect(deletes.map((action) => action.podName)).toEqual(deletions.slice(0, burst).map(({ pod }) => pod.name));
    },
  );

  test.prop([arbPodActionsInput])(
    'records one event per action, in order, naming its pod',
    ({ snapshot, createOn, deletions }) => {
      const { actions, events } = toPodActions({
        daemonSet: snapshot.daemonSet,
        hash: 'h',
        version: 1,
        createOn,
        deletions,
        now: NOW,
      });

      expect(events.map((event) => [event.reason, event.message])).toEqual(
        actions.map((action) =>
          action.kind === 'createPod'
            ? ['SuccessfulCreate', `Created pod: ${action.podName}`]
            : ['SuccessfulDelete', `Deleted pod: ${action.podName}`],
        ),
      );
    },
  );
});
