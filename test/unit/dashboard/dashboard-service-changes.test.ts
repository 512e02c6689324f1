import { describe, expect, it } from 'vitest';
import { type DashboardParts, DashboardService } from '../../../dashboard/dashboard-service.js';
import { RolloutRecorder } from '../../../dashboard/rollout-recorder.js';
import type { Node } from '../../../lib/model/node.js';
import type { Pod } from '../../../lib/model/pod.js';
import type { StoredDaemonSet } from '../../../lib/ports/cluster-store.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { aPod, POD_EPOCH } from '../../fixtures/builders/a-pod.js';
import { currentOf, podOf, stored } from './fleet-fixture.js';

const agent = aDaemonSet('agent').build();
const gpu = aDaemonSet('gpu-plugin').withNodeSelector({ hardware: 'gpu' }).build();
const KEY = 'default/agent';
const NOW = POD_EPOCH + 120_000;

/** A store in memory, read whole by `load` and in parts by `parts`, counting the reads. */
function world(recorder?: RolloutRecorder, idleFlushMs?: number) {
  const failures = { cells: false, errors: [] as unknown[] };
  /** While set, a full read takes its facts at once but answers only when released. */
  const gate: { hold?: Promise<void> } = {};
  const nodes = new Map<string, Node>(
    Array.from({ length: 100 }, (_, index) => {
      const node = aNode(`node-${String(index).padStart(3, '0')}`).build();
      return [node.name, node];
    }),
  );
  const daemonSets = new Map<string, StoredDaemonSet>([
    [KEY, stored(agent)],
    ['default/gpu-plugin', stored(gpu)],
  ]);
  const pods = new Map<string, Pod[]>(); // `${key}\0${node}`
  const reads = { full: 0, daemonSet: 0, pods: 0, podsOnNode: 0, node: 0 };
  const parts: DashboardParts = {
    daemonSet: async (key) => {
      reads.daemonSet += 1;
      const each = daemonSets.get(key);
      return { ...(each === undefined ? {} : { stored: each }), events: [] };
    },
    pods: async (key) => {
      reads.pods += 1;
      return [...pods].filter(([cell]) => cell.startsWith(`${key}\u0000`)).flatMap(([, list]) => list);
    },
    podsOnNode: async (key, nodeName) => {
      reads.podsOnNode += 1;
      if (failures.cells) throw new Error('ProvisionedThroughputExceededException');
      return pods.get(`${key}\u0000${nodeName}`) ?? [];
    },
    node: async (name) => {
      reads.node += 1;
      return nodes.get(name);
    },
  };
  const service = new DashboardService({
    load: async () => {
      reads.full += 1;
      const hold = gate.hold;
      const read = {
        nodes: [...nodes.values()],
        daemonSets: [...daemonSets.values()],
        pods: [...pods].flatMap(([cell, list]) =>
          list.map((pod) => podOf(daemonSets.get(cell.split('\u0000')[0] ?? '')?.daemonSet ?? agent, pod)),
        ),
        events: new Map(),
      };
      await hold;
      return read;
    },
    parts,
    ...(recorder === undefined ? {} : { recorder }),
    ...(idleFlushMs === undefined ? {} : { idleFlushMs }),
    clock: () => NOW,
    watchMs: 0,
    maxCellReads: 10,
    onError: (error) => failures.errors.push(error),
  });
  const runPod = (nodeName: string, revision = currentOf(agent)) =>
    pods.set(`${KEY}\u0000${nodeName}`, [
      aPod(`agent-${nodeName}`).on(nodeName).atRevision(revision).readySince(POD_EPOCH).build(),
    ]);
  return { nodes, daemonSets, pods, reads, service, runPod, failures, gate };
}

const summary = async (service: DashboardService) => {
  const answer = await service.handle('summary', new URLSearchParams());
  const body = answer.body as { daemonSets: { key: string; states: Record<string, number> }[] };
  return { etag: answer.etag, states: Object.fromEntries(body.daemonSets.map((each) => [each.key, each.states])) };
};

describe('DashboardService told of changes (parts)', () => {
  it('applies a pod change from one small read, without reading the store whole, and changes the ETag', async () => {
    const { reads, service, runPod } = world();
    const before = await summary(service);

    runPod('node-007');
    service.changed([{ daemonSet: KEY, nodeName: 'node-007' }]);
    await service.settled();
    const after = await summary(service);

    expect(before.states[KEY]).toMatchObject({ missing: 100, current: 0 });
    expect(after.states[KEY]).toMatchObject({ missing: 99, current: 1 });
    expect(after.etag).not.toBe(before.etag);
    expect(reads).toMatchObject({ full: 1, podsOnNode: 1, pods: 0 });
  });

  it('decides a changed node again in every DaemonSet', async () => {
    const { nodes, reads, service } = world();
    await summary(service);

    const node = nodes.get('node-003') as Node;
    nodes.set('node-003', { ...node, labels: { ...node.labels, hardware: 'gpu' } });
    service.changed([{ nodeName: 'node-003' }]);
    await service.settled();

    expect((await summary(service)).states['default/gpu-plugin']).toMatchObject({ missing: 1, 'not-eligible': 99 });
    expect(reads).toMatchObject({ full: 1, node: 1 });
  });

  it('adds a joining node and drops a DaemonSet that is gone', async () => {
    const { nodes, daemonSets, service } = world();
    await summary(service);

    nodes.set('node-new', aNode('node-new').build());
    daemonSets.delete('default/gpu-plugin');
    service.changed([{ nodeName: 'node-new' }, { daemonSet: 'default/gpu-plugin' }]);
    await service.settled();
    const after = await summary(service);

    expect(Object.keys(after.states)).toEqual([KEY]);
    expect(after.states[KEY]).toMatchObject({ missing: 101 });
  });

  it('reads a DaemonSet whole when a batch changes more of its nodes than maxCellReads', async () => {
    const { reads, service, runPod } = world();
    await summary(service);

    const names = Array.from({ length: 30 }, (_, index) => `node-${String(index).padStart(3, '0')}`);
    for (const name of names) runPod(name, 'old-rev');
    service.changed(names.map((nodeName) => ({ daemonSet: KEY, nodeName })));
    await service.settled();

    expect((await summary(service)).states[KEY]).toMatchObject({ old: 30, missing: 70 });
    expect(reads).toMatchObject({ full: 1, pods: 1, podsOnNode: 0 });
  });

  it('keeps the ETag when a change told changes nothing shown', async () => {
    const { service } = world();
    const before = await summary(service);

    service.changed([{ daemonSet: KEY, nodeName: 'node-001' }, { nodeName: 'node-002' }]);
    await service.settled();

    expect((await summary(service)).etag).toBe(before.etag);
  });

  it('tells onError when a targeted read fails, and repairs the view with a full read', async () => {
    const { reads, service, runPod, failures } = world();
    await summary(service);

    failures.cells = true;
    runPod('node-009');
    service.changed([{ daemonSet: KEY, nodeName: 'node-009' }]);
    await service.settled();
    await service.view();

    expect(failures.errors.map(String)).toEqual(['Error: ProvisionedThroughputExceededException']);
    expect(reads.full).toBe(2);
    expect((await summary(service)).states[KEY]).toMatchObject({ current: 1, missing: 99 });
  });

  it('does not undo a change told while a full read was on its way with older facts', async () => {
    const { service, runPod, gate } = world();
    await summary(service);
    let release = () => {};
    gate.hold = new Promise((resolve) => {
      release = resolve;
    });
    const resync = service.warm();

    runPod('node-004');
    service.changed([{ daemonSet: KEY, nodeName: 'node-004' }]);
    // The change is applied from its own read while the full read waits.
    while ((await summary(service)).states[KEY]?.['current'] !== 1) await new Promise(setImmediate);
    release();
    await resync;

    expect((await summary(service)).states[KEY]).toMatchObject({ current: 1, missing: 99 });
  });
});

describe('DashboardService told of changes while no page looks', () => {
  it('applies them in one batch after idleFlushMs, reading a pod changed twice once', async () => {
    const { reads, service, runPod } = world(undefined, 40);
    await service.warm();

    runPod('node-001');
    service.changed([{ daemonSet: KEY, nodeName: 'node-001' }]);
    service.changed([{ daemonSet: KEY, nodeName: 'node-001' }]);
    runPod('node-002');
    service.changed([{ daemonSet: KEY, nodeName: 'node-002' }]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const beforeBatch = reads.podsOnNode;
    await new Promise((resolve) => setTimeout(resolve, 100));
    await service.settled();

    expect(beforeBatch).toBe(0);
    expect(reads.podsOnNode).toBe(2);
    expect((await summary(service)).states[KEY]).toMatchObject({ current: 2, missing: 98 });
  });

  it('applies what waits at once when a page asks', async () => {
    const { reads, service, runPod } = world(undefined, 60_000);
    await service.warm();

    runPod('node-003');
    service.changed([{ daemonSet: KEY, nodeName: 'node-003' }]);
    await service.view();
    while (reads.podsOnNode === 0) await new Promise(setImmediate);
    await service.settled();

    expect((await summary(service)).states[KEY]).toMatchObject({ current: 1 });
  });
});

describe('DashboardService, its first full read', () => {
  it('shows a DaemonSet changed while the first read was on its way, so a restored chart carries on', async () => {
    const before = world();
    await before.service.warm();
    const kept = before.service.recorder.history();
    const { service, runPod, gate } = world(RolloutRecorder.restore(JSON.parse(JSON.stringify(kept))));
    let release = () => {};
    gate.hold = new Promise((resolve) => {
      release = resolve;
    });
    const first = service.warm();

    runPod('node-004');
    service.changed([{ daemonSet: KEY }, { daemonSet: KEY, nodeName: 'node-004' }]);
    release();
    await first;
    await service.settled();
    const events = await service.handle('events', new URLSearchParams());
    const chart = await service.handle('rollouts', new URLSearchParams({ daemonSet: KEY }));

    const reasons = (events.body as { items: { reason: string }[] }).items.map((event) => event.reason);
    expect(reasons).not.toContain('DaemonSetDeleted');
    const keptSamples = kept.watched.find(([key]) => key === KEY)?.[1].rollout.samples;
    expect((chart.body as { samples: unknown[] }).samples[0]).toEqual(keptSamples?.[0]);
    expect((await summary(service)).states[KEY]).toMatchObject({ current: 1, missing: 99 });
  });
});
