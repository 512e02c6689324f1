import { describe, expect, it } from 'vitest';
import { toDaemonSet } from '../../../lib/manifest/to-daemon-set.js';
import type { JsonObject } from '../../../lib/model/daemon-set.js';
import type { ClusterStore } from '../../../lib/ports/cluster-store.js';
import { reconcile } from '../../../lib/reconcile/reconcile-pass.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { daemonSetManifest, fixtureObject } from '../../fixtures/manifests/manifest-fixtures.js';
import { anApi, REQUEST_TIME } from './api-harness.js';

const EARLIER = '2026-01-01T11:00:00.000Z';
const OBSERVED_AT = new Date(REQUEST_TIME).toISOString();

const REPORT = {
  namespace: 'kube-system',
  daemonSet: 'fluentd-logger',
  podName: 'fluentd-logger-abc',
  nodeName: 'worker-1',
  revisionHash: '5d8f7c9b4',
  phase: 'Running',
  ready: true,
  readySince: '2026-01-01T11:59:58Z',
};

async function runDaemonSets(store: ClusterStore, ...manifests: JsonObject[]): Promise<void> {
  await store.putNode(aNode('worker-1').build(), EARLIER);
  for (const manifest of manifests) {
    const result = toDaemonSet(manifest);
    if (!result.ok) throw new Error('fixture manifest is invalid');
    await store.applyDaemonSet(result.value, EARLIER);
    await reconcile(`${result.value.namespace}/${result.value.name}`, { store, now: () => REQUEST_TIME });
  }
}

describe('pod routes', () => {
  it('lists the pods of every DaemonSet, or of the one asked for', async () => {
    const { request, store } = anApi();
    await runDaemonSets(store, fixtureObject('fluentd.yaml'), daemonSetManifest());

    const all = await request('GET', '/v1/pods');
    const one = await request('GET', '/v1/pods', { query: { daemonSet: 'default/agent' } });

    const owners = (reply: typeof all) =>
      (reply.body['items'] as { metadata: { ownerReferences: { name: string }[] } }[]).map(
        (pod) => pod.metadata.ownerReferences[0]?.name,
      );
    expect(all.body['kind']).toBe('PodList');
    expect(owners(all).toSorted()).toEqual(['agent', 'fluentd-logger']);
    expect(owners(one)).toEqual(['agent']);
  });

  it('refuses a daemonSet filter that is not namespace/name', async () => {
    const { request } = anApi();

    const reply = await request('GET', '/v1/pods', { query: { daemonSet: 'fluentd' } });

    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
  });

  it('enqueues a status report stamped with the request time', async () => {
    const { request, ingest } = anApi();

    const reply = await request('POST', '/v1/pods/status', { body: { ...REPORT, observedAt: '2020-01-01T00:00:00Z' } });

    expect(reply.status).toBe(202);
    expect(ingest.messages).toEqual([{ type: 'PodStatusReported', report: { ...REPORT, observedAt: OBSERVED_AT } }]);
  });

  it('refuses a malformed report with one cause per field', async () => {
    const { request, ingest } = anApi();
    const { nodeName: _dropped, ...withoutNode } = REPORT;

    const reply = await request('POST', '/v1/pods/status', { body: { ...withoutNode, phase: 'Dancing' } });

    expect(reply.status).toBe(422);
    const causes = (reply.body['details'] as { causes: { field: string; reason: string }[] }).causes;
    expect(causes.map((cause) => [cause.field, cause.reason]).toSorted()).toEqual([
      ['nodeName', 'FieldValueRequired'],
      ['phase', 'FieldValueInvalid'],
    ]);
    expect(ingest.messages).toEqual([]);
  });

  it('lists rejections oldest first', async () => {
    const { request, store } = anApi();
    const rejection = { source: 'everynode-ingest', body: '{}', reason: 'unknown message type' };
    await store.recordRejection({ ...rejection, id: 'm-2', time: '2026-01-01T10:00:02.000Z' });
    await store.recordRejection({ ...rejection, id: 'm-1', time: '2026-01-01T10:00:01.000Z' });

    const reply = await request('GET', '/v1/rejections');

    expect(reply.body).toMatchObject({ kind: 'RejectionList', items: [{ id: 'm-1' }, { id: 'm-2' }] });
  });
});
