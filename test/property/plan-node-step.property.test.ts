import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { emptyDaemonSetStatus } from '../../lib/model/status.js';
import type { ClusterSnapshot, NodeSnapshot } from '../../lib/ports/cluster-snapshot.js';
import { planNodeStep } from '../../lib/reconcile/plan-node-step.js';
import { computeRevisionHash } from '../../lib/revision/compute-revision-hash.js';
import { planManage } from '../../lib/rollout/plan-manage.js';
import { arbControls, arbSnapshot, NOW } from './rollout-arbitraries.js';
import { rolloutContext } from './rollout-context.js';

/**
 * A generated cluster whose last pass recorded the current revision (the node path acts only then), and one
 * node of it to look at: one of its nodes, or a node that is gone (then its pods are the orphans).
 */
const arbCase = arbSnapshot({ controls: arbControls() }).chain((generated) => {
  const hash = computeRevisionHash(generated.daemonSet.template);
  const snapshot: ClusterSnapshot = {
    ...generated,
    status: {
      ...(generated.status ?? emptyDaemonSetStatus(generated.daemonSet.generation)),
      observedGeneration: generated.daemonSet.generation,
      updateRevision: hash,
    },
  };
  const names = [...snapshot.nodes.map((node) => node.name), ...snapshot.pods.map((pod) => pod.nodeName)];
  return fc.record({ snapshot: fc.constant(snapshot), nodeName: fc.constantFrom(...names) });
});

function nodeSnapshotOf(snapshot: ClusterSnapshot, nodeName: string): NodeSnapshot {
  return {
    daemonSet: snapshot.daemonSet,
    version: snapshot.version,
    pods: snapshot.pods.filter((pod) => pod.nodeName === nodeName),
    ...(snapshot.status === undefined ? {} : { status: snapshot.status }),
    memory: snapshot.memory,
  };
}

const nodeOf = (snapshot: ClusterSnapshot, nodeName: string) => snapshot.nodes.find((node) => node.name === nodeName);

describe('planNodeStep invariants', () => {
  test.prop([arbCase])('touches only the one node', ({ snapshot, nodeName }) => {
    const plan = planNodeStep(nodeSnapshotOf(snapshot, nodeName), nodeOf(snapshot, nodeName), NOW);

    for (const action of plan.step?.actions ?? []) expect(action.nodeName).toBe(nodeName);
  });

  test.prop([arbCase])('decides nothing the full pass would not decide', ({ snapshot, nodeName }) => {
    const node = nodeOf(snapshot, nodeName);
    const { views, hash } = rolloutContext(snapshot);
    const full = planManage({
      daemonSet: snapshot.daemonSet,
      hash,
      nodes: views.nodes,
      failedPodBackoff: snapshot.memory.failedPodBackoff,
      now: NOW,
    });
    const frozen = snapshot.daemonSet.rollout.frozen;
    const creates = frozen ? [] : full.createOn;
    const deletes = new Set([
      ...(frozen ? [] : full.deletions.map((deletion) => deletion.pod.name)),
      ...views.orphans.map((pod) => pod.name),
    ]);

    const plan = planNodeStep(nodeSnapshotOf(snapshot, nodeName), node, NOW);

    for (const action of plan.step?.actions ?? []) {
      if (action.kind === 'createPod') expect(creates).toContain(action.nodeName);
      else expect(deletes).toContain(action.podName);
    }
  });

  test.prop([arbCase])(
    'keeps status and memory, and creates one pod at most on an empty node',
    ({ snapshot, nodeName }) => {
      const nodeSnapshot = nodeSnapshotOf(snapshot, nodeName);

      const plan = planNodeStep(nodeSnapshot, nodeOf(snapshot, nodeName), NOW);

      if (plan.step === undefined) return;
      expect(plan.step.status).toEqual(snapshot.status);
      expect(plan.step.memory).toEqual(snapshot.memory);
      const creates = plan.step.actions.filter((action) => action.kind === 'createPod');
      expect(creates.length).toBeLessThanOrEqual(1);
      if (creates.length > 0) expect(nodeSnapshot.pods).toEqual([]);
    },
  );

  test.prop([arbCase])('asks for the DaemonSet pass whenever it wrote', ({ snapshot, nodeName }) => {
    const plan = planNodeStep(nodeSnapshotOf(snapshot, nodeName), nodeOf(snapshot, nodeName), NOW);

    if (plan.step !== undefined) expect(plan.needsPass).toBe(true);
  });
});
