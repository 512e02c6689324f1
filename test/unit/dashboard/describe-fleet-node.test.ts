import { describe, expect, it } from 'vitest';
import { describeFleetNode } from '../../../dashboard/describe-fleet-node.js';
import { buildFleetView } from '../../../dashboard/fleet-view.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { aPod, POD_EPOCH } from '../../fixtures/builders/a-pod.js';
import { currentOf, podOf, stored } from './fleet-fixture.js';

const agent = aDaemonSet('agent').build();
const gpu = aDaemonSet('gpu-plugin').withNodeSelector({ hardware: 'gpu' }).build();
const node = aNode('worker-1')
  .labelled({ hardware: 'cpu' })
  .tainted('everynode.io/startup', 'NoSchedule')
  .cordoned()
  .build();

describe('describeFleetNode', () => {
  it('says per DaemonSet its pod, or why there is none, with the node facts', () => {
    const pod = podOf(
      agent,
      aPod('agent-x1').on('worker-1').atRevision(currentOf(agent)).readySince(POD_EPOCH).build(),
    );
    const view = buildFleetView(
      { daemonSets: [stored(agent), stored(gpu)], nodes: [node], pods: [pod] },
      POD_EPOCH + 1000,
    );

    const page = describeFleetNode(view, 'worker-1');

    expect(page).toMatchObject({
      name: 'worker-1',
      ready: 'True',
      unschedulable: true,
      gated: true,
      taints: ['everynode.io/startup:NoSchedule'],
      labels: { hardware: 'cpu' },
    });
    expect(page?.daemonSets).toEqual([
      expect.objectContaining({
        daemonSet: 'default/agent',
        state: 'current',
        symbol: '✓',
        summary: `pod agent-x1: Running, ready, current revision ${currentOf(agent)}`,
        pod: expect.objectContaining({ name: 'agent-x1', currentRevision: true }),
      }),
      expect.objectContaining({
        daemonSet: 'default/gpu-plugin',
        state: 'not-eligible',
        reasons: [
          'nodeSelector hardware=gpu does not match (node has hardware=cpu)',
          'taint everynode.io/startup:NoSchedule is not tolerated',
        ],
        summary:
          'no pod, not eligible: nodeSelector hardware=gpu does not match (node has hardware=cpu); taint everynode.io/startup:NoSchedule is not tolerated',
      }),
    ]);
  });

  it('is undefined for a node the fleet does not have', () => {
    expect(describeFleetNode(buildFleetView({ daemonSets: [], nodes: [node], pods: [] }, 0), 'nope')).toBeUndefined();
  });
});
