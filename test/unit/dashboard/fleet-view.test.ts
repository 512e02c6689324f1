import { describe, expect, it } from 'vitest';
import { buildFleetView, stateAt } from '../../../dashboard/fleet-view.js';
import { NODE_STATES } from '../../../dashboard/node-state.js';
import { emptyDaemonSetStatus } from '../../../lib/model/status.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { aPod, POD_EPOCH } from '../../fixtures/builders/a-pod.js';
import { currentOf, podOf, stored } from './fleet-fixture.js';

const NOW = POD_EPOCH + 120_000;
const agent = aDaemonSet('agent').build();
const gpu = aDaemonSet('gpu-plugin').withNodeSelector({ hardware: 'gpu' }).build();
const nodes = [
  aNode('worker-b').labelled({ hardware: 'cpu' }).build(),
  aNode('gpu-1').labelled({ hardware: 'gpu' }).build(),
  aNode('worker-a').labelled({ hardware: 'cpu' }).build(),
];
const ready = (daemonSet: typeof agent, node: string, revision = currentOf(daemonSet)) =>
  podOf(daemonSet, aPod(`${daemonSet.name}-${node}`).on(node).atRevision(revision).readySince(POD_EPOCH).build());

describe('buildFleetView', () => {
  it('sorts nodes by name and DaemonSets by key, one state per node in each column', () => {
    const view = buildFleetView({ daemonSets: [stored(gpu), stored(agent)], nodes, pods: [] }, NOW);

    expect(view.nodes.map((node) => node.name)).toEqual(['gpu-1', 'worker-a', 'worker-b']);
    expect(view.columns.map((column) => column.key)).toEqual(['default/agent', 'default/gpu-plugin']);
    expect(view.columns[1]?.states.length).toBe(3);
  });

  it('counts nodes by state per DaemonSet, the counts adding up to the fleet', () => {
    const pods = [ready(agent, 'gpu-1'), ready(agent, 'worker-a', 'old-rev'), ready(gpu, 'gpu-1')];

    const view = buildFleetView({ daemonSets: [stored(agent), stored(gpu)], nodes, pods }, NOW);

    expect(view.columns[0]?.summary.states).toMatchObject({ current: 1, old: 1, missing: 1 });
    expect(view.columns[1]?.summary.states).toMatchObject({ current: 1, 'not-eligible': 2 });
    for (const column of view.columns) {
      expect(NODE_STATES.reduce((total, state) => total + column.summary.states[state], 0)).toBe(3);
    }
  });

  it('takes progress from the stored status, or from the pods before the first reconcile', () => {
    const status = {
      ...emptyDaemonSetStatus(1),
      desiredNumberScheduled: 3,
      updatedNumberScheduled: 2,
      numberAvailable: 1,
      numberReady: 1,
    };
    const pods = [ready(agent, 'gpu-1'), ready(agent, 'worker-a')];

    const withStatus = buildFleetView({ daemonSets: [stored(agent, status)], nodes, pods }, NOW).columns[0]?.summary;
    const fromPods = buildFleetView({ daemonSets: [stored(agent)], nodes, pods }, NOW).columns[0]?.summary;

    expect(withStatus).toMatchObject({ desired: 3, updated: 2, available: 1, unavailable: 2, rolling: true });
    expect(fromPods).toMatchObject({ desired: 3, updated: 2, available: 2, unavailable: 1, rolling: true });
  });

  it('is not rolling once every desired pod is updated and available', () => {
    const pods = nodes.map((node) => ready(agent, node.name));

    const summary = buildFleetView({ daemonSets: [stored(agent)], nodes, pods }, NOW).columns[0]?.summary;

    expect(summary).toMatchObject({ desired: 3, updated: 3, available: 3, rolling: false });
  });

  it('builds placement reasons only when asked, and keeps them', () => {
    const view = buildFleetView({ daemonSets: [stored(gpu)], nodes, pods: [] }, NOW);
    const column = view.columns[0];
    const workerA = view.nodeIndex.get('worker-a') ?? -1;

    expect(column && stateAt(column, workerA)).toBe('not-eligible');
    expect(column?.reasons(workerA)).toEqual(['nodeSelector hardware=gpu does not match (node has hardware=cpu)']);
    expect(column?.reasons(view.nodeIndex.get('gpu-1') ?? -1)).toEqual([]);
  });

  it('changes its version exactly when something shown changes', () => {
    const input = { daemonSets: [stored(agent)], nodes, pods: [ready(agent, 'gpu-1')] };
    const same = buildFleetView(input, NOW).version;

    expect(buildFleetView(input, NOW + 5_000).version).toBe(same);
    expect(buildFleetView({ ...input, pods: [ready(agent, 'gpu-1', 'old-rev')] }, NOW).version).not.toBe(same);
    expect(buildFleetView({ ...input, nodes: nodes.slice(1) }, NOW).version).not.toBe(same);
    const relabelled = [
      aNode('gpu-1').labelled({ hardware: 'gpu', zone: 'b' }).build(),
      ...nodes.slice(0, 1),
      ...nodes.slice(2),
    ];
    expect(buildFleetView({ ...input, nodes: relabelled }, NOW).version).not.toBe(same);
  });

  it('keeps an unchanged DaemonSet column from the view before, and decides again what changed or aged', () => {
    const unready = podOf(
      agent,
      aPod('agent-worker-a')
        .on('worker-a')
        .atRevision(currentOf(agent))
        .inPhase('Running')
        .notReady()
        .createdAt(NOW - 30_000)
        .build(),
    );
    const input = {
      daemonSets: [stored(agent), stored(gpu)],
      nodes,
      pods: [ready(agent, 'gpu-1'), unready, ready(gpu, 'gpu-1')],
    };
    const first = buildFleetView(input, NOW, { crashLoopAfterMs: 60_000 });

    const same = buildFleetView(input, NOW + 1_000, { crashLoopAfterMs: 60_000, previous: first });
    const gpuChanged = buildFleetView(
      { ...input, pods: [ready(agent, 'gpu-1'), unready, ready(gpu, 'gpu-1', 'old-rev')] },
      NOW + 1_000,
      { crashLoopAfterMs: 60_000, previous: first },
    );
    const aged = buildFleetView(input, NOW + 31_000, { crashLoopAfterMs: 60_000, previous: first });

    expect(same.columns[0]).toBe(first.columns[0]);
    expect(same.columns[1]).toBe(first.columns[1]);
    expect(same.version).toBe(first.version);
    expect(gpuChanged.columns[0]).toBe(first.columns[0]);
    expect(gpuChanged.columns[1]).not.toBe(first.columns[1]);
    expect(gpuChanged.columns[1]?.summary.states.old).toBe(1);
    expect(aged.columns[0]).not.toBe(first.columns[0]);
    expect(aged.columns[0]?.summary.states.failed).toBe(1);
    expect(aged.columns[1]).toBe(first.columns[1]);
  });
});
