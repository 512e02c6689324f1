import { describe, expect, it } from 'vitest';
import { buildDashboardState, type DaemonSetPod } from '../../../dashboard/build-dashboard-state.js';
import { EMPTY_CONTROLLER_MEMORY } from '../../../lib/model/controller-memory.js';
import type { DaemonSet } from '../../../lib/model/daemon-set.js';
import type { Pod } from '../../../lib/model/pod.js';
import type { DaemonSetStatus } from '../../../lib/model/status.js';
import type { StoredDaemonSet } from '../../../lib/ports/cluster-store.js';
import { computeRevisionHash } from '../../../lib/revision/compute-revision-hash.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { aPod, POD_EPOCH } from '../../fixtures/builders/a-pod.js';

const NOW = POD_EPOCH + 60_000;
const agent = aDaemonSet('agent').build();
const current = computeRevisionHash(agent.template);

function stored(daemonSet: DaemonSet, status?: DaemonSetStatus): StoredDaemonSet {
  return { daemonSet, version: 1, memory: EMPTY_CONTROLLER_MEMORY, ...(status === undefined ? {} : { status }) };
}

const of = (daemonSet: DaemonSet, pod: Pod): DaemonSetPod => ({
  ...pod,
  daemonSet: `${daemonSet.namespace}/${daemonSet.name}`,
});

describe('buildDashboardState', () => {
  it('has one row per node by name and one cell per DaemonSet by key', () => {
    const gpu = aDaemonSet('gpu-monitor').withNodeSelector({ hardware: 'gpu' }).build();

    const state = buildDashboardState(
      {
        daemonSets: [stored(gpu), stored(agent)],
        nodes: [aNode('worker-b').build(), aNode('worker-a').build()],
        pods: [],
      },
      NOW,
    );

    expect(state.daemonSets.map((daemonSet) => daemonSet.key)).toEqual(['default/agent', 'default/gpu-monitor']);
    expect(state.rows.map((row) => row.node)).toEqual(['worker-a', 'worker-b']);
    expect(state.rows[0]?.cells.map((cell) => cell.daemonSet)).toEqual(['default/agent', 'default/gpu-monitor']);
    expect(state.generatedAt).toBe(new Date(NOW).toISOString());
  });

  it('explains a node that is not eligible with the placement reasons', () => {
    const gpu = aDaemonSet('gpu-monitor').withNodeSelector({ hardware: 'gpu' }).build();
    const node = aNode('worker-a').labelled({ hardware: 'cpu' }).build();

    const [cell] =
      buildDashboardState({ daemonSets: [stored(gpu)], nodes: [node], pods: [] }, NOW).rows[0]?.cells ?? [];

    expect(cell).toMatchObject({ state: 'not-eligible', symbol: '–' });
    expect(cell?.title).toBe('not eligible: nodeSelector hardware=gpu does not match (node has hardware=cpu)');
  });

  it.each([
    ['current', aPod('p').on('n').atRevision(current).readySince(POD_EPOCH)],
    ['pending', aPod('p').on('n').atRevision(current).inPhase('Pending')],
    ['old', aPod('p').on('n').atRevision('0ld').readySince(POD_EPOCH)],
    ['failed', aPod('p').on('n').atRevision(current).inPhase('Failed')],
    ['terminating', aPod('p').on('n').atRevision(current).terminating()],
  ] as const)('shows a %s pod', (state, pod) => {
    const input = { daemonSets: [stored(agent)], nodes: [aNode('n').build()], pods: [of(agent, pod.build())] };

    const [cell] = buildDashboardState(input, NOW).rows[0]?.cells ?? [];

    expect(cell?.state).toBe(state);
  });

  it('shows a node that should run a pod but has none yet as missing', () => {
    const [cell] =
      buildDashboardState({ daemonSets: [stored(agent)], nodes: [aNode('n').build()], pods: [] }, NOW).rows[0]?.cells ??
      [];

    expect(cell).toMatchObject({ state: 'missing', symbol: '○' });
  });

  it('prefers the current-revision pod when a surge pod runs beside an old one', () => {
    const old = aPod('old').on('n').atRevision('0ld').readySince(POD_EPOCH).build();
    const surge = aPod('surge')
      .on('n')
      .atRevision(current)
      .createdAt(POD_EPOCH + 1000)
      .build();

    const [cell] =
      buildDashboardState(
        { daemonSets: [stored(agent)], nodes: [aNode('n').build()], pods: [of(agent, old), of(agent, surge)] },
        NOW,
      ).rows[0]?.cells ?? [];

    expect(cell).toMatchObject({ state: 'pending', pod: 'surge' });
    expect(cell?.title).toContain('2 live pods on this node');
  });

  it('badges a NotReady, cordoned, tainted node', () => {
    const node = aNode('n').notReady().cordoned().tainted('dedicated', 'NoSchedule', 'gpu').build();

    const [row] = buildDashboardState({ daemonSets: [], nodes: [node], pods: [] }, NOW).rows;

    expect(row?.badges).toEqual([
      { kind: 'not-ready', text: 'NotReady' },
      { kind: 'cordoned', text: 'SchedulingDisabled' },
      { kind: 'taint', text: 'dedicated=gpu:NoSchedule' },
    ]);
  });

  it('takes progress from the stored status and marks an unfinished rolling update', () => {
    const status: DaemonSetStatus = {
      observedGeneration: 1,
      desiredNumberScheduled: 3,
      currentNumberScheduled: 3,
      numberMisscheduled: 0,
      numberReady: 2,
      updatedNumberScheduled: 1,
      numberAvailable: 2,
      numberUnavailable: 1,
      updateRevision: 'abc',
      conditions: [
        { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', lastTransitionTime: '' },
      ],
    };

    const [summary] = buildDashboardState({ daemonSets: [stored(agent, status)], nodes: [], pods: [] }, NOW).daemonSets;

    expect(summary).toMatchObject({
      desired: 3,
      updated: 1,
      available: 2,
      ready: 2,
      rolling: true,
      currentRevision: 'abc',
      warnings: ['Progressing=False: ProgressDeadlineExceeded'],
    });
  });

  it('counts progress from the pods before the first reconcile', () => {
    const pods = [
      of(agent, aPod('a').on('a').atRevision(current).readySince(POD_EPOCH).build()),
      of(agent, aPod('b').on('b').atRevision(current).build()),
    ];

    const [summary] = buildDashboardState(
      { daemonSets: [stored(agent)], nodes: [aNode('a').build(), aNode('b').build()], pods },
      NOW,
    ).daemonSets;

    expect(summary).toMatchObject({ desired: 2, updated: 2, available: 1, ready: 1, rolling: true });
  });

  it('is not rolling once every desired pod is updated and available at the observed generation', () => {
    const status: DaemonSetStatus = {
      observedGeneration: 1,
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      numberMisscheduled: 0,
      numberReady: 2,
      updatedNumberScheduled: 2,
      numberAvailable: 2,
      numberUnavailable: 0,
      conditions: [],
    };

    const [summary] = buildDashboardState({ daemonSets: [stored(agent, status)], nodes: [], pods: [] }, NOW).daemonSets;

    expect(summary?.rolling).toBe(false);
  });
});
