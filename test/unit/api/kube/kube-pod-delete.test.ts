import { describe, expect, it } from 'vitest';
import { reconcile } from '../../../../lib/reconcile/reconcile-pass.js';
import { REQUEST_TIME } from '../api-harness.js';
import { aKubeApi, DAEMON_SETS, fluentd, node } from './kube-harness.js';

type Json = Record<string, unknown>;
const PODS = '/api/v1/namespaces/kube-system/pods';
const meta = (body: Json) => body['metadata'] as Json;

/** A DaemonSet with one pod on node `a`, created by a reconcile pass. */
async function withPod() {
  const api = aKubeApi();
  await api.request('POST', '/api/v1/nodes', { body: node('a') });
  await api.request('POST', DAEMON_SETS, { body: fluentd() });
  await reconcile('kube-system/fluentd', { store: api.store, now: () => REQUEST_TIME + 10_000 });
  const [pod] = (await api.request('GET', PODS)).body['items'] as Json[];
  if (pod === undefined) throw new Error('no pod');
  return { ...api, pod, name: String(meta(pod)['name']) };
}

describe('the Kubernetes API: deleting a pod', () => {
  it('marks the pod terminating through a PodDeleted fact and answers the terminating pod', async () => {
    const { request, ingest, pod, name } = await withPod();

    const deleted = await request('DELETE', `${PODS}/${name}`, { body: { kind: 'DeleteOptions', apiVersion: 'v1' } });

    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    expect(deleted.body).toMatchObject({ kind: 'Pod', metadata: { name, uid: meta(pod)['uid'] } });
    expect(meta(deleted.body)['deletionTimestamp']).toEqual(expect.any(String));
    expect(ingest.messages.at(-1)).toEqual({
      type: 'PodDeleted',
      namespace: 'kube-system',
      daemonSet: 'fluentd',
      podName: name,
      nodeName: 'a',
      creationTimestamp: meta(pod)['creationTimestamp'],
      observedAt: expect.any(String),
    });
    const listed = (await request('GET', `${PODS}/${name}`)).body;
    expect(meta(listed)['deletionTimestamp']).toBe(meta(deleted.body)['deletionTimestamp']);
  });

  it('removes the pod at once for gracePeriodSeconds=0 (kubectl delete --force --grace-period=0)', async () => {
    const { request, name } = await withPod();

    const deleted = await request('DELETE', `${PODS}/${name}`, { query: { gracePeriodSeconds: '0' } });

    expect(deleted.status).toBe(200);
    expect(meta(deleted.body)).toMatchObject({ name, deletionGracePeriodSeconds: 0 });
    expect((await request('GET', `${PODS}/${name}`)).status).toBe(404);
  });

  it('refuses a deletion whose uid or resourceVersion precondition does not hold, and sends nothing', async () => {
    const { request, ingest, pod, name } = await withPod();
    const sent = ingest.messages.length;

    const byUid = await request('DELETE', `${PODS}/${name}`, { body: { preconditions: { uid: 'other' } } });
    const byVersion = await request('DELETE', `${PODS}/${name}`, {
      body: { preconditions: { resourceVersion: '1' } },
    });

    expect(byUid.status).toBe(409);
    expect(byUid.body).toMatchObject({ reason: 'Conflict' });
    expect(byUid.body['message']).toBe(
      `Operation cannot be fulfilled on pods "${name}": Precondition failed: UID in precondition: other, UID in object meta: ${String(meta(pod)['uid'])}`,
    );
    expect(byVersion.status).toBe(409);
    expect(ingest.messages).toHaveLength(sent);
    const matching = await request('DELETE', `${PODS}/${name}`, {
      body: { preconditions: { uid: meta(pod)['uid'], resourceVersion: meta(pod)['resourceVersion'] } },
    });
    expect(matching.status).toBe(200);
  });

  it('changes nothing on dryRun, and refuses a bad grace period or propagation policy', async () => {
    const { request, ingest, name } = await withPod();
    const sent = ingest.messages.length;

    const dry = await request('DELETE', `${PODS}/${name}`, { query: { dryRun: 'All' } });
    const negative = await request('DELETE', `${PODS}/${name}`, { query: { gracePeriodSeconds: '-5' } });
    const policy = await request('DELETE', `${PODS}/${name}`, { body: { propagationPolicy: 'Sideways' } });

    expect(dry.status).toBe(200);
    expect(meta(dry.body)['deletionTimestamp']).toEqual(expect.any(String));
    expect(meta((await request('GET', `${PODS}/${name}`)).body)['deletionTimestamp']).toBeUndefined();
    expect(negative.status).toBe(422);
    expect(negative.body['message']).toMatch(/gracePeriodSeconds: Invalid value: "-5"/);
    expect(policy.status).toBe(422);
    expect(policy.body['message']).toMatch(/propagationPolicy: Unsupported value: "Sideways"/);
    expect(ingest.messages).toHaveLength(sent);
  });

  it('answers 404 for a pod that does not exist, and lists delete among the pod verbs', async () => {
    const { request } = await withPod();

    expect((await request('DELETE', `${PODS}/nope`)).status).toBe(404);
    const core = (await request('GET', '/api/v1')).body['resources'] as Json[];
    expect(core.find((resource) => resource['name'] === 'pods')?.['verbs']).toEqual(['get', 'list', 'watch', 'delete']);
  });
});

describe('the everynode API: deleting a pod', () => {
  it('accepts DELETE /v1/pods/{namespace}/{name} as a PodDeleted fact, 404 for an unknown pod', async () => {
    const { request, ingest, pod, name } = await withPod();

    const accepted = await request('DELETE', `/v1/pods/kube-system/${name}`, { query: { gracePeriodSeconds: '5' } });
    const unknown = await request('DELETE', '/v1/pods/kube-system/nope');
    const bad = await request('DELETE', `/v1/pods/kube-system/${name}`, { query: { gracePeriodSeconds: 'soon' } });

    expect(accepted.status).toBe(202);
    expect(accepted.body['message']).toBe(`pod "${name}" deleted`);
    expect(ingest.messages.at(-1)).toMatchObject({
      type: 'PodDeleted',
      podName: name,
      creationTimestamp: meta(pod)['creationTimestamp'],
      gracePeriodSeconds: 5,
    });
    expect(unknown.status).toBe(404);
    expect(bad.status).toBe(422);
  });
});
