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
    const { request, ingest, store } = anApi();
    await runDaemonSets(store, fixtureObject('fluentd.yaml'));
    const [pod] = await store.listPods('kube-system/fluentd-logger');
    const report = { ...REPORT, podName: pod?.name, revisionHash: pod?.revisionHash };

    const reply = await request('POST', '/v1/pods/status', { body: { ...report, observedAt: '2020-01-01T00:00:00Z' } });

    expect(reply.status).toBe(202);
    expect(ingest.messages).toEqual([{ type: 'PodStatusReported', report: { ...report, observedAt: OBSERVED_AT } }]);
  });

  describe('a report that does not match its pod', () => {
    const aRunningPod = async () => {
      const api = anApi();
      await api.store.putNode(aNode('worker-2').build(), EARLIER);
      await runDaemonSets(api.store, fixtureObject('fluentd.yaml'));
      const pods = await api.store.listPods('kube-system/fluentd-logger');
      const pod = pods.find((candidate) => candidate.nodeName === 'worker-1');
      if (pod === undefined) throw new Error('no pod on worker-1');
      return { ...api, report: { ...REPORT, podName: pod.name, revisionHash: pod.revisionHash } };
    };

    it('refuses a report naming another node than the pod runs on', async () => {
      const { request, ingest, report } = await aRunningPod();

      const reply = await request('POST', '/v1/pods/status', { body: { ...report, nodeName: 'worker-2' } });

      expect(reply.status).toBe(422);
      expect(reply.body['message']).toBe(
        `PodStatusReport "${report.podName}" is invalid: podName: Not found: "${report.podName}": DaemonSet kube-system/fluentd-logger has no such pod on node worker-2`,
      );
      expect(ingest.messages).toEqual([]);
    });

    it('refuses a report naming another revision than the pod runs', async () => {
      const { request, ingest, report } = await aRunningPod();

      const reply = await request('POST', '/v1/pods/status', { body: { ...report, revisionHash: 'bogus' } });

      expect(reply.status).toBe(422);
      expect(reply.body['message']).toBe(
        `PodStatusReport "${report.podName}" is invalid: revisionHash: Invalid value: "bogus": pod ${report.podName} runs revision ${report.revisionHash}`,
      );
      expect(ingest.messages).toEqual([]);
    });

    it('takes reports on a node path only for that node', async () => {
      const { request, ingest, report } = await aRunningPod();
      const { nodeName: _implied, ...withoutNode } = report;

      const own = await request('POST', '/v1/nodes/worker-1/pods/status', { body: withoutNode });
      const other = await request('POST', '/v1/nodes/worker-2/pods/status', { body: report });
      const claimed = await request('POST', '/v1/nodes/worker-2/pods/status', { body: withoutNode });

      expect(own.status).toBe(202);
      expect(other.status).toBe(400);
      expect(other.body['message']).toBe(
        "the report's nodeName (worker-1) does not match the node on the URL (worker-2)",
      );
      expect(claimed.status).toBe(422);
      expect(ingest.messages).toEqual([
        { type: 'PodStatusReported', report: { ...report, nodeName: 'worker-1', observedAt: OBSERVED_AT } },
      ]);
    });
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
