import { describe, expect, it } from 'vitest';
import { buildFleetView, type FleetInput } from '../../../dashboard/fleet-view.js';
import { RecordedHistoryError, RolloutRecorder } from '../../../dashboard/rollout-recorder.js';
import type { DaemonSet } from '../../../lib/model/daemon-set.js';
import type { DaemonSetEvent } from '../../../lib/model/status.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { aPod, POD_EPOCH } from '../../fixtures/builders/a-pod.js';
import { currentOf, podOf, stored } from './fleet-fixture.js';

const T0 = POD_EPOCH + 60_000;
const KEY = 'default/agent';
const v1 = aDaemonSet('agent').withRollout({ progressDeadlineSeconds: 600 }).build();
const v2 = aDaemonSet('agent')
  .withImage('registry.example/agent:2.0.0')
  .withRollout({ progressDeadlineSeconds: 600 })
  .build();
const nodes = ['n1', 'n2'].map((name) => aNode(name).build());

function fleet(daemonSet: DaemonSet, updatedNodes: readonly string[]): FleetInput {
  const pods = nodes.map((node) =>
    podOf(
      daemonSet,
      aPod(`agent-${node.name}`)
        .on(node.name)
        .atRevision(updatedNodes.includes(node.name) ? currentOf(daemonSet) : currentOf(v1))
        .readySince(POD_EPOCH)
        .build(),
    ),
  );
  return { daemonSets: [stored(daemonSet)], nodes, pods };
}

function observe(recorder: RolloutRecorder, input: FleetInput, at: number, events: readonly DaemonSetEvent[] = []) {
  recorder.observe(buildFleetView(input, at), new Map([[KEY, events]]));
}

describe('RolloutRecorder', () => {
  it('keeps a sample only when the counts change, and starts a new chart when the revision changes', () => {
    const recorder = new RolloutRecorder();
    observe(recorder, fleet(v1, ['n1', 'n2']), T0);
    observe(recorder, fleet(v2, []), T0 + 1_000);
    observe(recorder, fleet(v2, []), T0 + 2_000);
    observe(recorder, fleet(v2, ['n1']), T0 + 3_000);

    const chart = recorder.chart(KEY, 'v');

    expect(chart?.revision).toBe(currentOf(v2));
    expect(chart?.startedAt).toBe(T0 + 1_000);
    expect(chart?.samples.map((sample) => [sample.t - T0, sample.updated, sample.available])).toEqual([
      [1_000, 0, 2],
      [3_000, 1, 2],
    ]);
    expect(chart?.budget).toBe(1);
  });

  it('records the last rollouts with their duration once every desired pod is updated and available', () => {
    const recorder = new RolloutRecorder();
    observe(recorder, fleet(v1, ['n1', 'n2']), T0);
    observe(recorder, fleet(v2, []), T0 + 1_000);
    observe(recorder, fleet(v2, ['n1', 'n2']), T0 + 91_000);

    expect(recorder.chart(KEY, 'v')?.history).toEqual([
      {
        revision: currentOf(v2),
        startedAt: T0 + 1_000,
        finishedAt: T0 + 91_000,
        durationMs: 90_000,
        outcome: 'complete',
      },
    ]);
    expect(recorder.feed(10).map((event) => event.reason)).toEqual([
      'RolloutComplete',
      'RolloutStarted',
      'DaemonSetCreated',
    ]);
    expect(recorder.feed(1)[0]?.message).toBe(`revision ${currentOf(v2)} updated and available on 2 node(s) in 1m30s`);
  });

  it('marks pauses, and the deadline exceeded and the revert from the stored events', () => {
    const recorder = new RolloutRecorder();
    const paused = aDaemonSet('agent')
      .withImage('registry.example/agent:2.0.0')
      .withRollout({ paused: true, progressDeadlineSeconds: 600 })
      .build();
    observe(recorder, fleet(v1, ['n1', 'n2']), T0);
    observe(recorder, fleet(v2, []), T0 + 1_000);
    observe(recorder, fleet(paused, []), T0 + 2_000);
    const exceeded: DaemonSetEvent = {
      type: 'Warning',
      reason: 'ProgressDeadlineExceeded',
      message: 'no progress for 600 s',
      time: new Date(T0 + 3_000).toISOString(),
    };
    const reverted: DaemonSetEvent = {
      type: 'Warning',
      reason: 'RolloutReverted',
      message: 'reverted to 1',
      time: new Date(T0 + 3_500).toISOString(),
    };
    observe(recorder, fleet(paused, []), T0 + 4_000, [exceeded, reverted]);

    expect(recorder.chart(KEY, 'v')?.markers.map((marker) => [marker.t - T0, marker.kind])).toEqual([
      [2_000, 'paused'],
      [3_000, 'deadline-exceeded'],
      [3_500, 'reverted'],
    ]);
    expect(recorder.feed(2).map((event) => event.reason)).toEqual(['RolloutReverted', 'ProgressDeadlineExceeded']);
  });

  it('tells in the feed when a DaemonSet is created and deleted; its revision moves with every change', () => {
    const recorder = new RolloutRecorder();
    observe(recorder, fleet(v1, ['n1', 'n2']), T0);
    const before = recorder.revision;
    observe(recorder, fleet(v1, ['n1', 'n2']), T0 + 1_000);
    expect(recorder.revision).toBe(before);

    recorder.observe(buildFleetView({ daemonSets: [], nodes, pods: [] }, T0 + 2_000), new Map());

    expect(recorder.revision).toBeGreaterThan(before);
    expect(recorder.feed(5).map((event) => [event.daemonSet, event.reason])).toEqual([
      [KEY, 'DaemonSetDeleted'],
      [KEY, 'DaemonSetCreated'],
    ]);
    expect(recorder.chart(KEY, 'v')).toBeUndefined();
  });

  it('carries on from a stored history after a restart: the chart, the last rollouts and its feed', () => {
    const before = new RolloutRecorder();
    observe(before, fleet(v1, ['n1', 'n2']), T0);
    observe(before, fleet(v2, []), T0 + 1_000);
    observe(before, fleet(v2, ['n1']), T0 + 2_000);

    const after = RolloutRecorder.restore(JSON.parse(JSON.stringify(before.history())));
    observe(after, fleet(v2, ['n1', 'n2']), T0 + 9_000);

    const chart = after.chart(KEY, 'v');
    expect(chart?.startedAt).toBe(T0 + 1_000);
    expect(chart?.samples.map((sample) => [sample.t - T0, sample.updated])).toEqual([
      [1_000, 0],
      [2_000, 1],
      [9_000, 2],
    ]);
    expect(chart?.history.map((each) => each.outcome)).toEqual(['complete']);
    expect(after.feed(10).map((event) => event.reason)).toEqual([
      'RolloutComplete',
      'RolloutStarted',
      'DaemonSetCreated',
    ]);
  });

  it('refuses a history it did not write', () => {
    expect(() => RolloutRecorder.restore({ kind: 'something-else', version: 1, watched: [], feed: [] })).toThrow(
      RecordedHistoryError,
    );
    expect(() =>
      RolloutRecorder.restore({ kind: 'everynode.io/dashboard-history', version: 1, watched: [['x', {}]], feed: [] }),
    ).toThrow(RecordedHistoryError);
  });
});
