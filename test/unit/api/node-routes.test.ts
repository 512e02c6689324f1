import { describe, expect, it } from 'vitest';
import { toDaemonSet } from '../../../lib/manifest/to-daemon-set.js';
import { reconcile } from '../../../lib/reconcile/reconcile-pass.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { fixtureObject } from '../../fixtures/manifests/manifest-fixtures.js';
import { anApi, REQUEST_TIME } from './api-harness.js';

const EARLIER = '2026-01-01T11:00:00.000Z';
const OBSERVED_AT = new Date(REQUEST_TIME).toISOString();

const WORKER_2 = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'worker-2', labels: { zone: 'a' } },
  status: { conditions: [{ type: 'Ready', status: 'True' }] },
};

describe('node routes', () => {
  it('enqueues NodeJoined for a node it does not know', async () => {
    const { request, ingest } = anApi();

    const reply = await request('PUT', '/v1/nodes/worker-2', { body: WORKER_2 });

    expect(reply.status).toBe(202);
    expect(reply.body['message']).toBe('node/worker-2 created');
    expect(ingest.messages).toEqual([
      {
        type: 'NodeJoined',
        node: { ...WORKER_2, metadata: { ...WORKER_2.metadata, creationTimestamp: OBSERVED_AT } },
        observedAt: OBSERVED_AT,
      },
    ]);
  });

  it('keeps the creation time of the first join when a node is updated', async () => {
    const { request, store, ingest } = anApi();
    await store.putNode({ ...aNode('worker-2').build(), creationTimestamp: EARLIER }, EARLIER);

    await request('PUT', '/v1/nodes/worker-2', { body: WORKER_2 });

    expect(ingest.messages.map((message) => message.type === 'NodeUpdated' && message.node['metadata'])).toEqual([
      { ...WORKER_2.metadata, creationTimestamp: EARLIER },
    ]);
  });

  it('enqueues NodeUpdated for a node it knows', async () => {
    const { request, store, ingest } = anApi();
    await store.putNode(aNode('worker-2').build(), EARLIER);

    await request('PUT', '/v1/nodes/worker-2', { body: WORKER_2 });

    expect(ingest.messages.map((message) => message.type)).toEqual(['NodeUpdated']);
  });

  it('takes the name from the path when the body leaves it out', async () => {
    const { request, ingest } = anApi();

    await request('PUT', '/v1/nodes/worker-3', { body: { apiVersion: 'v1', kind: 'Node' } });

    expect(ingest.messages).toEqual([
      {
        type: 'NodeJoined',
        node: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-3', creationTimestamp: OBSERVED_AT } },
        observedAt: OBSERVED_AT,
      },
    ]);
  });

  it('refuses a body whose name differs from the path', async () => {
    const { request, ingest } = anApi();

    const reply = await request('PUT', '/v1/nodes/worker-9', { body: WORKER_2 });

    expect(reply.status).toBe(400);
    expect(reply.body['message']).toBe(
      'the name of the object (worker-2) does not match the name on the URL (worker-9)',
    );
    expect(ingest.messages).toEqual([]);
  });

  it('refuses an invalid node with the field path of the problem', async () => {
    const { request } = anApi();
    const node = { ...WORKER_2, spec: { taints: [{ key: 'dedicated', effect: 'Sometimes' }] } };

    const reply = await request('PUT', '/v1/nodes/worker-2', { body: node });

    expect(reply.status).toBe(422);
    expect(reply.body['details']).toMatchObject({
      kind: 'Node',
      name: 'worker-2',
      causes: [{ field: 'spec.taints[0].effect' }],
    });
  });

  it('lists and reads nodes, and 404s an unknown one', async () => {
    const { request, store } = anApi();
    await store.putNode(aNode('worker-1').labelled({ hardware: 'gpu' }).build(), EARLIER);

    const list = await request('GET', '/v1/nodes');
    const one = await request('GET', '/v1/nodes/worker-1');
    const missing = await request('GET', '/v1/nodes/worker-7');

    expect(list.body).toMatchObject({ kind: 'NodeList', items: [{ kind: 'Node', metadata: { name: 'worker-1' } }] });
    expect(one.body).toMatchObject({ kind: 'Node', metadata: { labels: { hardware: 'gpu' } } });
    expect(missing.status).toBe(404);
    expect(missing.body['message']).toBe('nodes "worker-7" not found');
  });

  it('enqueues NodeRemoved for a known node and 404s an unknown one', async () => {
    const { request, store, ingest } = anApi();
    await store.putNode(aNode('worker-1').build(), EARLIER);

    const removed = await request('DELETE', '/v1/nodes/worker-1');
    const missing = await request('DELETE', '/v1/nodes/worker-8');

    expect(removed.status).toBe(202);
    expect(missing.status).toBe(404);
    expect(ingest.messages).toEqual([{ type: 'NodeRemoved', name: 'worker-1', observedAt: OBSERVED_AT }]);
  });

  it("answers an agent's query with its node's pods and their owner", async () => {
    const { request, store } = anApi();
    const daemonSet = toDaemonSet(fixtureObject('fluentd.yaml'));
    if (!daemonSet.ok) throw new Error('fixture manifest is invalid');
    await store.applyDaemonSet(daemonSet.value, EARLIER);
    await store.putNode(aNode('worker-1').build(), EARLIER);
    await store.putNode(aNode('worker-2').build(), EARLIER);
    await reconcile('kube-system/fluentd-logger', { store, now: () => REQUEST_TIME });

    const reply = await request('GET', '/v1/nodes/worker-1/pods');

    expect(reply.body).toMatchObject({ kind: 'PodList' });
    expect(reply.body['items']).toEqual([
      expect.objectContaining({
        kind: 'Pod',
        metadata: expect.objectContaining({
          namespace: 'kube-system',
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'fluentd-logger', controller: true }],
        }),
        spec: expect.objectContaining({
          affinity: expect.objectContaining({ nodeAffinity: expect.anything() }),
        }),
      }),
    ]);
  });

  it('tells the agent what to run: the revision template, default tolerations, affinity pinned to the node', async () => {
    const { request, store } = anApi();
    const daemonSet = toDaemonSet(fixtureObject('fluentd.yaml'));
    if (!daemonSet.ok) throw new Error('fixture manifest is invalid');
    await store.applyDaemonSet(daemonSet.value, EARLIER);
    await store.putNode(aNode('worker-1').build(), EARLIER);
    await reconcile('kube-system/fluentd-logger', { store, now: () => REQUEST_TIME });

    const reply = await request('GET', '/v1/nodes/worker-1/pods');

    const [pod] = reply.body['items'] as { spec: Record<string, unknown> }[];
    expect(pod?.spec).toMatchObject({
      restartPolicy: 'Always',
      containers: [
        {
          name: 'fluentd',
          image: 'fluent/fluentd:v1.14',
          volumeMounts: [{ name: 'varlog', mountPath: '/var/log' }],
        },
      ],
      volumes: [{ name: 'varlog', hostPath: { path: '/var/log' } }],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['worker-1'] }] }],
          },
        },
      },
    });
    expect(pod?.spec['tolerations']).toEqual([
      { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
    ]);
  });
});
