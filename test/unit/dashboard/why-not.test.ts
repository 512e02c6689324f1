import { describe, expect, it } from 'vitest';
import { buildFleetView } from '../../../dashboard/fleet-view.js';
import { whyNot, withoutNodeDetail } from '../../../dashboard/why-not.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { stored } from './fleet-fixture.js';

const GPU = 'nvidia.com/gpu.present';
const plugin = aDaemonSet('gpu-plugin')
  .withNodeSelector({ [GPU]: 'true' })
  .build();

describe('whyNot', () => {
  it('groups the reasons without node detail, counts the nodes, most first, with a sample of names', () => {
    const nodes = [
      ...Array.from({ length: 7 }, (_, index) => aNode(`cpu-${index}`).build()),
      aNode('odd-1')
        .labelled({ [GPU]: 'false' })
        .build(),
      aNode('gpu-tainted')
        .labelled({ [GPU]: 'true' })
        .tainted('dedicated', 'NoSchedule', 'ml')
        .build(),
      aNode('gpu-ok')
        .labelled({ [GPU]: 'true' })
        .build(),
    ];

    const answer = whyNot(buildFleetView({ daemonSets: [stored(plugin)], nodes, pods: [] }, 0), expectColumn(nodes));

    expect(answer.nodes).toBe(9);
    expect(answer.reasons).toEqual([
      {
        reason: `nodeSelector ${GPU}=true does not match`,
        count: 8,
        sample: ['cpu-0', 'cpu-1', 'cpu-2', 'cpu-3', 'cpu-4'],
      },
      { reason: 'taint dedicated=ml:NoSchedule is not tolerated', count: 1, sample: ['gpu-tainted'] },
    ]);
  });

  it('counts a node under each of its reasons', () => {
    const nodes = [aNode('both').tainted('dedicated', 'NoSchedule').build()];

    const answer = whyNot(buildFleetView({ daemonSets: [stored(plugin)], nodes, pods: [] }, 0), expectColumn(nodes));

    expect(answer.reasons.map((reason) => [reason.reason, reason.count])).toEqual([
      ['nodeSelector nvidia.com/gpu.present=true does not match', 1],
      ['taint dedicated:NoSchedule is not tolerated', 1],
    ]);
  });
});

describe('withoutNodeDetail', () => {
  it.each([
    ['nodeSelector a=b does not match (node has a=c)', 'nodeSelector a=b does not match'],
    ['nodeSelector a=b does not match (node has no label a)', 'nodeSelector a=b does not match'],
    [
      'node affinity: no nodeSelectorTerm matches (term 1: zone In [a] does not match (node has zone=b))',
      'node affinity: no nodeSelectorTerm matches (term 1: zone In [a] does not match)',
    ],
    ['taint x:NoSchedule is not tolerated', 'taint x:NoSchedule is not tolerated'],
  ])('%s', (reason, grouped) => {
    expect(withoutNodeDetail(reason)).toBe(grouped);
  });
});

function expectColumn(nodes: Parameters<typeof buildFleetView>[0]['nodes']) {
  const column = buildFleetView({ daemonSets: [stored(plugin)], nodes, pods: [] }, 0).columns[0];
  if (column === undefined) throw new Error('no column');
  return column;
}
