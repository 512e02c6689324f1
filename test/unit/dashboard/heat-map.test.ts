import { describe, expect, it } from 'vitest';
import { buildFleetView } from '../../../dashboard/fleet-view.js';
import { groupByKeys, heatMap, NO_LABEL } from '../../../dashboard/heat-map.js';
import { NODE_STATES } from '../../../dashboard/node-state.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { aPod, POD_EPOCH } from '../../fixtures/builders/a-pod.js';
import { currentOf, podOf, stored } from './fleet-fixture.js';

const ZONE = 'topology.kubernetes.io/zone';
const agent = aDaemonSet('agent').build();
const gpu = aDaemonSet('gpu-plugin').withNodeSelector({ hardware: 'gpu' }).build();
const nodes = [
  aNode('c')
    .labelled({ [ZONE]: 'b', hardware: 'gpu' })
    .build(),
  aNode('a')
    .labelled({ [ZONE]: 'b' })
    .build(),
  aNode('b')
    .labelled({ [ZONE]: 'a' })
    .build(),
  aNode('d').build(),
];
const pods = [
  podOf(agent, aPod('agent-a').on('a').atRevision(currentOf(agent)).readySince(POD_EPOCH).build()),
  podOf(agent, aPod('agent-c').on('c').atRevision(currentOf(agent)).readySince(POD_EPOCH).build()),
  podOf(agent, aPod('agent-b').on('b').atRevision(currentOf(agent)).inPhase('Failed').build()),
  podOf(gpu, aPod('gpu-c').on('c').atRevision('old').readySince(POD_EPOCH).build()),
];
const view = buildFleetView({ daemonSets: [stored(agent), stored(gpu)], nodes, pods }, POD_EPOCH + 1000);
const code = (state: (typeof NODE_STATES)[number]) => String(NODE_STATES.indexOf(state));

describe('heatMap', () => {
  it('groups nodes by the label, values sorted, nodes without it last, names sorted within a group', () => {
    const map = heatMap(view, view.columns[0], { groupBy: ZONE });

    expect(map.groups.map((group) => [group.value, group.nodes])).toEqual([
      ['a', ['b']],
      ['b', ['a', 'c']],
      [NO_LABEL, ['d']],
    ]);
  });

  it('sends one state character per node', () => {
    const map = heatMap(view, view.columns[0], { groupBy: ZONE });

    expect(map.groups.map((group) => group.states)).toEqual([
      code('failed'),
      code('current') + code('current'),
      code('missing'),
    ]);
    expect(map.stateNames).toEqual(NODE_STATES);
  });

  it('leaves the names out when the caller already holds them', () => {
    const first = heatMap(view, view.columns[0], { groupBy: ZONE });
    const again = heatMap(view, view.columns[0], { groupBy: ZONE, namesVersion: first.namesVersion });
    const otherGrouping = heatMap(view, view.columns[0], { groupBy: 'hardware', namesVersion: first.namesVersion });

    expect(again.groups.every((group) => group.nodes === undefined)).toBe(true);
    expect(again.groups.map((group) => group.states)).toEqual(first.groups.map((group) => group.states));
    expect(otherGrouping.groups[0]?.nodes).toBeDefined();
  });

  it('shows each node at its worst state across DaemonSets when no DaemonSet is chosen', () => {
    const map = heatMap(view, undefined, { groupBy: ZONE });

    // c: agent current, gpu old → old; b: agent failed; d: agent missing.
    expect(map.groups.map((group) => group.states)).toEqual([
      code('failed'),
      code('current') + code('old'),
      code('missing'),
    ]);
  });
});

describe('groupByKeys', () => {
  it('offers the well-known keys first and leaves out keys with a value per node', () => {
    const many = Array.from({ length: 20 }, (_, index) =>
      aNode(`n${index}`)
        .labelled({ [ZONE]: `z${index % 3}`, 'kubernetes.io/hostname': `n${index}`, pool: `p${index % 2}` })
        .build(),
    );

    expect(groupByKeys(buildFleetView({ daemonSets: [], nodes: many, pods: [] }, 0))).toEqual([ZONE, 'pool']);
  });
});
