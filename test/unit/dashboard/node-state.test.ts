import { describe, expect, it } from 'vitest';
import { type NodeStateInput, toNodeState } from '../../../dashboard/node-state.js';
import { nodeShouldRunDaemonPod } from '../../../lib/placement/node-should-run-daemon-pod.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { aPod, POD_EPOCH } from '../../fixtures/builders/a-pod.js';

const NOW = POD_EPOCH + 120_000;
const agent = aDaemonSet('agent').build();
const CURRENT = 'abc123';

function input(node = aNode('n').build(), pods = [] as NodeStateInput['pods'], daemonSet = agent): NodeStateInput {
  const decision = nodeShouldRunDaemonPod(node, daemonSet.placement);
  return {
    node,
    currentRevision: CURRENT,
    decision,
    reasons: () => decision.reasons,
    pods,
    now: NOW,
    crashLoopAfterMs: 60_000,
  };
}

describe('toNodeState', () => {
  it.each([
    ['current', aPod('p').on('n').atRevision(CURRENT).readySince(POD_EPOCH)],
    ['old', aPod('p').on('n').atRevision('0ld').readySince(POD_EPOCH)],
    ['pending', aPod('p').on('n').atRevision(CURRENT).inPhase('Pending')],
    ['failed', aPod('p').on('n').atRevision(CURRENT).inPhase('Failed')],
  ])('says %s for its pod', (state, pod) => {
    expect(toNodeState(input(undefined, [pod.build()])).state).toBe(state);
  });

  it('says failed, crash-looping, for a pod Running but never ready for longer than the threshold', () => {
    const stuck = aPod('p')
      .on('n')
      .atRevision(CURRENT)
      .inPhase('Running')
      .notReady()
      .createdAt(NOW - 61_000)
      .build();
    const young = aPod('p')
      .on('n')
      .atRevision(CURRENT)
      .inPhase('Running')
      .notReady()
      .createdAt(NOW - 59_000)
      .build();

    expect(toNodeState(input(undefined, [stuck]))).toMatchObject({ state: 'failed', detail: 'crash-looping' });
    expect(toNodeState(input(undefined, [young])).state).toBe('pending');
  });

  it('says terminating when only pods being deleted are left, missing when a pod should run and none exists', () => {
    const leaving = aPod('p').on('n').atRevision(CURRENT).terminating().build();

    expect(toNodeState(input(undefined, [leaving])).state).toBe('terminating');
    expect(toNodeState(input()).state).toBe('missing');
  });

  it('says gated for a node with the startup taint and no pod, whether the taint keeps the pod away or not', () => {
    const gated = aNode('n').tainted('everynode.io/startup', 'NoSchedule', 'pending').build();
    const tolerant = aDaemonSet('agent').tolerating({ key: 'everynode.io/startup', operator: 'Exists' }).build();

    expect(toNodeState(input(gated)).state).toBe('gated');
    expect(toNodeState(input(gated, [], tolerant)).state).toBe('gated');
  });

  it('keeps not-eligible for a gated node the DaemonSet excludes for another reason', () => {
    const gated = aNode('n').labelled({ hardware: 'cpu' }).tainted('everynode.io/startup', 'NoSchedule').build();
    const gpuOnly = aDaemonSet('gpu').withNodeSelector({ hardware: 'gpu' }).build();

    expect(toNodeState(input(gated, [], gpuOnly)).state).toBe('not-eligible');
  });

  it('shows the pod of a gated node that has one (a startup DaemonSet)', () => {
    const gated = aNode('n').tainted('everynode.io/startup', 'NoSchedule').build();
    const pod = aPod('p').on('n').atRevision(CURRENT).readySince(POD_EPOCH).build();

    expect(toNodeState(input(gated, [pod])).state).toBe('current');
  });

  it('is not gated by a taint whose key only starts like the startup key', () => {
    const other = aNode('n').tainted('everynode.io/startup-extra', 'NoSchedule').build();

    expect(toNodeState(input(other)).state).toBe('not-eligible');
  });

  it('shows the newest live pod of the current revision when a surge leaves two', () => {
    const old = aPod('old').on('n').atRevision('0ld').readySince(POD_EPOCH).createdAt(POD_EPOCH).build();
    const fresh = aPod('new')
      .on('n')
      .atRevision(CURRENT)
      .inPhase('Pending')
      .createdAt(POD_EPOCH + 1000)
      .build();

    expect(toNodeState(input(undefined, [fresh, old]))).toMatchObject({ state: 'pending', livePods: 2 });
    expect(toNodeState(input(undefined, [fresh, old])).pod?.name).toBe('new');
  });
});
