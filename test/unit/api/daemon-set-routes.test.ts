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

async function storeDaemonSet(store: ClusterStore, manifest: JsonObject): Promise<void> {
  const result = toDaemonSet(manifest);
  if (!result.ok) throw new Error('fixture manifest is invalid');
  await store.applyDaemonSet(result.value, EARLIER);
}

describe('daemon set routes', () => {
  it('enqueues a valid manifest as DaemonSetApplied at the request time', async () => {
    const { request, ingest } = anApi();
    const manifest = fixtureObject('fluentd.yaml');

    const reply = await request('PUT', '/v1/daemonsets', { body: manifest });

    expect(reply.status).toBe(202);
    expect(reply.body).toMatchObject({
      kind: 'Status',
      status: 'Success',
      message: 'daemonset.apps/fluentd-logger created',
    });
    expect(ingest.messages).toEqual([{ type: 'DaemonSetApplied', manifest, observedAt: OBSERVED_AT }]);
  });

  it('says configured when the DaemonSet already exists', async () => {
    const { request, store } = anApi();
    await storeDaemonSet(store, fixtureObject('fluentd.yaml'));

    const reply = await request('PUT', '/v1/daemonsets', { body: fixtureObject('fluentd.yaml') });

    expect(reply.body['message']).toBe('daemonset.apps/fluentd-logger configured');
  });

  it('refuses an invalid manifest with a 422 Status naming each field', async () => {
    const { request, ingest } = anApi();
    const manifest = daemonSetManifest(
      [['spec', 'selector'], undefined],
      [['spec', 'minReadySeconds'], -1],
      [['spec', 'replicas'], 3],
    );

    const reply = await request('PUT', '/v1/daemonsets', { body: manifest });

    expect(reply.status).toBe(422);
    expect(reply.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422 });
    expect(reply.body['message']).toMatch(/^DaemonSet\.apps "agent" is invalid: \[/);
    const causes = (reply.body['details'] as { causes: { field: string; message: string }[] }).causes;
    expect(causes.map((cause) => cause.field)).toEqual(
      expect.arrayContaining(['spec.template.metadata.labels', 'spec.minReadySeconds', 'spec.replicas']),
    );
    expect(causes.find((cause) => cause.field === 'spec.minReadySeconds')).toMatchObject({
      reason: 'FieldValueInvalid',
      message: 'Invalid value: -1: must be greater than or equal to 0',
    });
    expect(causes.find((cause) => cause.field === 'spec.replicas')).toMatchObject({
      message: 'strict decoding error: unknown field "spec.replicas"',
    });
    expect(ingest.messages).toEqual([]);
  });

  it('lists DaemonSets as a DaemonSetList with their status', async () => {
    const { request, store } = anApi();
    await storeDaemonSet(store, fixtureObject('fluentd.yaml'));
    await store.putNode(aNode('worker-1').build(), EARLIER);
    await reconcile('kube-system/fluentd-logger', { store, now: () => REQUEST_TIME });

    const reply = await request('GET', '/v1/daemonsets');

    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ apiVersion: 'apps/v1', kind: 'DaemonSetList' });
    expect(reply.body['items']).toEqual([
      expect.objectContaining({
        kind: 'DaemonSet',
        metadata: expect.objectContaining({ name: 'fluentd-logger', namespace: 'kube-system' }),
        status: expect.objectContaining({ desiredNumberScheduled: 1 }),
      }),
    ]);
  });

  it('returns one DaemonSet with its revisions and events', async () => {
    const { request, store } = anApi();
    await storeDaemonSet(store, fixtureObject('fluentd.yaml'));
    await store.putNode(aNode('worker-1').build(), EARLIER);
    await reconcile('kube-system/fluentd-logger', { store, now: () => REQUEST_TIME });

    const reply = await request('GET', '/v1/daemonsets/kube-system/fluentd-logger');

    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ kind: 'DaemonSet', metadata: { name: 'fluentd-logger' } });
    expect(reply.body['revisions']).toEqual([
      expect.objectContaining({ apiVersion: 'apps/v1', kind: 'ControllerRevision', revision: 1 }),
    ]);
    expect(reply.body['events']).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'Normal', reason: 'SuccessfulCreate' })]),
    );
  });

  it('answers 404 with a NotFound Status for an unknown DaemonSet', async () => {
    const { request } = anApi();

    const reply = await request('GET', '/v1/daemonsets/default/nope');

    expect(reply.status).toBe(404);
    expect(reply.body).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'daemonsets.apps "nope" not found',
      details: { name: 'nope', group: 'apps', kind: 'daemonsets' },
    });
  });

  it('enqueues DaemonSetDeleted for an existing DaemonSet and 404s otherwise', async () => {
    const { request, store, ingest } = anApi();
    await storeDaemonSet(store, fixtureObject('fluentd.yaml'));

    const deleted = await request('DELETE', '/v1/daemonsets/kube-system/fluentd-logger');
    const missing = await request('DELETE', '/v1/daemonsets/kube-system/other');

    expect(deleted.status).toBe(202);
    expect(missing.status).toBe(404);
    expect(ingest.messages).toEqual([
      { type: 'DaemonSetDeleted', namespace: 'kube-system', name: 'fluentd-logger', observedAt: OBSERVED_AT },
    ]);
  });

  it('enqueues a rollout command', async () => {
    const { request, store, ingest } = anApi();
    await storeDaemonSet(store, fixtureObject('fluentd.yaml'));

    const reply = await request('POST', '/v1/daemonsets/kube-system/fluentd-logger/rollout', {
      body: { command: 'pause' },
    });

    expect(reply.status).toBe(202);
    expect(reply.body['message']).toBe('daemonset.apps/fluentd-logger paused');
    expect(ingest.messages).toEqual([
      {
        type: 'RolloutCommand',
        namespace: 'kube-system',
        name: 'fluentd-logger',
        command: 'pause',
        observedAt: OBSERVED_AT,
      },
    ]);
  });

  it('refuses an unknown rollout command, and a revision that is not in the history', async () => {
    const { request, store, ingest } = anApi();
    await storeDaemonSet(store, fixtureObject('fluentd.yaml'));
    const path = '/v1/daemonsets/kube-system/fluentd-logger/rollout';

    const unknown = await request('POST', path, { body: { command: 'explode' } });
    const missingRevision = await request('POST', path, { body: { command: 'undo', toRevision: 7 } });

    expect(unknown.status).toBe(422);
    expect(unknown.body['details']).toMatchObject({ causes: [{ field: 'command' }] });
    expect(missingRevision.status).toBe(422);
    expect(missingRevision.body['details']).toMatchObject({
      causes: [{ field: 'toRevision', message: 'unable to find specified revision 7 in history' }],
    });
    expect(ingest.messages).toEqual([]);
  });

  it('answers 404 to a rollout of a DaemonSet that does not exist', async () => {
    const { request, ingest } = anApi();

    const reply = await request('POST', '/v1/daemonsets/default/ghost/rollout', { body: { command: 'restart' } });

    expect(reply.status).toBe(404);
    expect(ingest.messages).toEqual([]);
  });
});
