import { describe, expect, it } from 'vitest';
import { DashboardService, storeParts, storeSource } from '../../../dashboard/dashboard-service.js';
import { InMemoryClusterStore } from '../../../lib/store/memory/in-memory-cluster-store.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { stored } from './fleet-fixture.js';

const gpu = aDaemonSet('gpu-plugin').withNodeSelector({ hardware: 'gpu' }).build();
const nodes = Array.from({ length: 120 }, (_, index) =>
  aNode(`node-${String(index).padStart(3, '0')}`)
    .labelled({ 'topology.kubernetes.io/zone': `z${index % 3}`, ...(index < 2 ? { hardware: 'gpu' } : {}) })
    .build(),
);

function service(input = { daemonSets: [stored(gpu)], nodes, pods: [] }) {
  let loads = 0;
  const dashboard = new DashboardService({
    load: async () => {
      loads += 1;
      return { ...input, events: new Map() };
    },
    clock: () => 1_000_000,
    watchMs: 0,
  });
  return { dashboard, loads: () => loads };
}

const get = (dashboard: DashboardService, route: string, query = '', etag?: string) =>
  dashboard.handle(route, new URLSearchParams(query), etag);

describe('DashboardService', () => {
  it('answers the summary with state counts and grouping keys, and an ETag', async () => {
    const { dashboard } = service();

    const answer = await get(dashboard, 'summary');

    expect(answer.status).toBe(200);
    expect(answer.etag).toMatch(/^"[\w-]+\.\d+"$/);
    expect(answer.body).toMatchObject({
      nodes: 120,
      groupByKeys: ['topology.kubernetes.io/zone'],
      daemonSets: [{ key: 'default/gpu-plugin', states: { missing: 2, 'not-eligible': 118 } }],
    });
  });

  it('answers 304 while the ETag still holds, and loads once for many requests', async () => {
    const { dashboard, loads } = service();
    const first = await get(dashboard, 'summary');

    const again = await get(dashboard, 'heatmap', 'groupBy=topology.kubernetes.io/zone', first.etag);

    expect(again).toEqual({ status: 304, etag: first.etag });
    expect(loads()).toBe(1);
  });

  it('pages the nodes behind a why-not reason', async () => {
    const { dashboard } = service();
    const whyNot = (await get(dashboard, 'why-not', 'daemonSet=default/gpu-plugin')).body as {
      items: { reasons: { reason: string; count: number }[] }[];
    };
    const reason = whyNot.items[0]?.reasons[0]?.reason ?? '';

    const page = await get(
      dashboard,
      'nodes',
      new URLSearchParams({ daemonSet: 'default/gpu-plugin', reason, limit: '100' }).toString(),
    );
    const next = await get(
      dashboard,
      'nodes',
      new URLSearchParams({ daemonSet: 'default/gpu-plugin', reason, limit: '100', continue: '100' }).toString(),
    );

    expect(reason).toBe('nodeSelector hardware=gpu does not match');
    expect(page.body).toMatchObject({ total: 118, continue: '100' });
    expect((next.body as { items: unknown[] }).items).toHaveLength(18);
  });

  it('answers a node page, and 404 for a node or DaemonSet it does not know', async () => {
    const { dashboard } = service();

    expect((await get(dashboard, 'nodes/node-000')).body).toMatchObject({
      name: 'node-000',
      daemonSets: [{ state: 'missing' }],
    });
    expect(await get(dashboard, 'nodes/nope')).toMatchObject({
      status: 404,
      body: { reason: 'NotFound', message: 'nodes "nope" not found' },
    });
    expect(await get(dashboard, 'why-not', 'daemonSet=default/nope')).toMatchObject({
      status: 404,
      body: { message: 'daemonsets.apps "default/nope" not found' },
    });
    expect((await get(dashboard, 'nothing-here')).status).toBe(404);
  });

  it.each([
    ['selector=zone+in+(a', 'selector: Invalid value: "zone in (a": '],
    ['daemonSet=default/gpu-plugin&state=broken', 'state: Unsupported value: "broken": supported values: "current", '],
    ['state=failed', 'daemonSet: Required value: state and reason are about one DaemonSet'],
    ['limit=0', 'limit: Invalid value: "0": must be an integer from 1 to 500'],
    ['limit=501', 'limit: Invalid value: "501": must be an integer from 1 to 500'],
    ['continue=-1', 'continue: Invalid value: "-1": must be an integer from 0 to '],
  ])('refuses nodes?%s with a Kubernetes-style 400', async (query, message) => {
    const { dashboard } = service();

    const answer = await get(dashboard, 'nodes', query);

    expect(answer.status).toBe(400);
    expect((answer.body as { message: string }).message.startsWith(message)).toBe(true);
  });

  it('charts the rollout and feeds the events it saw', async () => {
    const { dashboard } = service();

    const chart = await get(dashboard, 'rollouts', 'daemonSet=default/gpu-plugin');
    const events = await get(dashboard, 'events', 'limit=5');

    expect(chart.body).toMatchObject({ daemonSet: 'default/gpu-plugin', samples: [{ desired: 2, updated: 0 }] });
    expect(events.body).toMatchObject({ items: [{ daemonSet: 'default/gpu-plugin', reason: 'DaemonSetCreated' }] });
  });

  it('reads the store: DaemonSets, nodes, pods with their DaemonSet, and events', async () => {
    const store = new InMemoryClusterStore();
    await store.putNode(aNode('worker-1').build(), '2026-01-01T00:00:00.000Z');
    await store.applyDaemonSet(aDaemonSet('agent').build(), '2026-01-01T00:00:00.000Z');

    const source = await storeSource(store)();

    expect(source.daemonSets.map((each) => each.daemonSet.name)).toEqual(['agent']);
    expect(source.nodes.map((node) => node.name)).toEqual(['worker-1']);
    expect([...source.events.keys()]).toEqual(['default/agent']);
  });

  it('reads the store in parts: a record with its events, a node, and nothing for what is not there', async () => {
    const store = new InMemoryClusterStore();
    await store.putNode(aNode('worker-1').build(), '2026-01-01T00:00:00.000Z');
    await store.applyDaemonSet(aDaemonSet('agent').build(), '2026-01-01T00:00:00.000Z');
    const parts = storeParts(store);

    const record = await parts.daemonSet('default/agent');
    const missing = await parts.daemonSet('default/none');

    expect(record.stored?.daemonSet.name).toBe('agent');
    expect(missing).toEqual({ events: [] });
    expect((await parts.node('worker-1'))?.name).toBe('worker-1');
    expect(await parts.node('worker-9')).toBeUndefined();
    expect(await parts.podsOnNode('default/none', 'worker-1')).toEqual([]);
    expect(await parts.pods('default/agent')).toEqual([]);
  });

  it('reloads a view older than maxAgeMs before answering, keeping the warm columns', async () => {
    let now = 1_000_000;
    let nodeCount = 10;
    let loads = 0;
    const dashboard = new DashboardService({
      load: async () => {
        loads += 1;
        return { daemonSets: [stored(gpu)], nodes: nodes.slice(0, nodeCount), pods: [], events: new Map() };
      },
      clock: () => now,
      watchMs: 0,
    });
    await dashboard.warm();
    const warm = await dashboard.view();
    now += 1_000;
    const fresh = await dashboard.view();
    nodeCount = 20;
    now += 5_000;

    const answer = await get(dashboard, 'summary');

    expect(fresh).toBe(warm);
    expect(answer.body).toMatchObject({ nodes: 20 });
    expect(loads).toBe(2);
  });
});
