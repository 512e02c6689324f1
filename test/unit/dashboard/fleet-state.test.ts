import { describe, expect, it } from 'vitest';
import { FleetState } from '../../../dashboard/fleet-state.js';
import { stateAt } from '../../../dashboard/fleet-view.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { aPod, POD_EPOCH } from '../../fixtures/builders/a-pod.js';
import { currentOf, stored } from './fleet-fixture.js';

const agent = aDaemonSet('agent').withMinReadySeconds(30).build();
const KEY = 'default/agent';
const nodes = [aNode('worker-a').build(), aNode('worker-b').build()];

function fleet() {
  const state = new FleetState({ crashLoopAfterMs: 60_000 });
  state.resync({ nodes, daemonSets: [stored(agent)], pods: [] }, POD_EPOCH);
  return state;
}

describe('FleetState', () => {
  it('turns a pod available once minReadySeconds pass, with nothing else told', () => {
    const state = fleet();
    const pod = aPod('agent-a').on('worker-a').atRevision(currentOf(agent)).readySince(POD_EPOCH).build();
    state.applyPods(KEY, 'worker-a', [pod], POD_EPOCH + 1_000);
    const early = state.view(POD_EPOCH + 1_000);

    const later = state.view(POD_EPOCH + 31_000);

    expect(early.columns[0]?.summary).toMatchObject({ desired: 2, available: 0 });
    expect(later.columns[0]?.summary).toMatchObject({ desired: 2, available: 1 });
    expect(later.version).not.toBe(early.version);
  });

  it('counts a pod Running and unready for longer than crashLoopAfterMs as crash-looping', () => {
    const state = fleet();
    const pod = aPod('agent-b').on('worker-b').atRevision(currentOf(agent)).createdAt(POD_EPOCH).notReady().build();
    state.applyPods(KEY, 'worker-b', [pod], POD_EPOCH);

    const column = (at: number) => state.view(at).columns[0];

    expect(stateAt(column(POD_EPOCH + 30_000) ?? never(), 1)).toBe('pending');
    expect(stateAt(column(POD_EPOCH + 61_000) ?? never(), 1)).toBe('failed');
    expect([...(column(POD_EPOCH + 61_000)?.crashLooping ?? [])]).toEqual([1]);
  });

  it('serves the same view, version and all, while nothing changed', () => {
    const state = fleet();
    const first = state.view(POD_EPOCH + 1_000);

    state.resync({ nodes: structuredClone(nodes), daemonSets: [stored(agent)], pods: [] }, POD_EPOCH + 2_000);
    const second = state.view(POD_EPOCH + 2_000);

    expect(second.version).toBe(first.version);
    expect(second.columns[0]).toBe(first.columns[0]);
  });

  it('keeps a view it served unchanged when a node changes afterwards', () => {
    const state = fleet();
    const before = state.view(POD_EPOCH);

    state.applyNode('worker-a', { ...(nodes[0] ?? never()), unschedulable: true }, POD_EPOCH);
    const after = state.view(POD_EPOCH);

    expect(before.nodes[0]?.unschedulable).toBe(false);
    expect(after.nodes[0]?.unschedulable).toBe(true);
    expect(after.version).not.toBe(before.version);
  });
});

function never(): never {
  throw new Error('missing');
}
