import { describe, expect, it } from 'vitest';
import { InMemoryClusterStore } from '../../../lib/store/memory/in-memory-cluster-store.js';
import { fixtureObject } from '../../fixtures/manifests/manifest-fixtures.js';
import { anApi } from './api-harness.js';

describe('makeApiHandler', () => {
  it('answers an unknown path with a NotFound Status', async () => {
    const { request } = anApi();

    const reply = await request('GET', '/v1/deployments');

    expect(reply.status).toBe(404);
    expect(reply.body).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'NotFound',
      code: 404,
    });
  });

  it('answers a method the path does not allow with 405 and an Allow header', async () => {
    const { request } = anApi();

    const reply = await request('PATCH', '/v1/nodes/worker-1');

    expect(reply.status).toBe(405);
    expect(reply.headers['allow']).toBe('GET, PUT, DELETE');
    expect(reply.body).toMatchObject({ reason: 'MethodNotAllowed' });
  });

  it('decodes path segments one by one', async () => {
    const { request, ingest } = anApi();

    const encoded = await request('PUT', '/v1/nodes/ip-10-0-0-1%2Eexample', {
      body: { kind: 'Node', apiVersion: 'v1' },
    });
    const smuggled = await request('GET', '/v1/nodes/a%2Fpods');

    expect(encoded.status).toBe(202);
    expect(ingest.messages[0]).toMatchObject({ node: { metadata: { name: 'ip-10-0-0-1.example' } } });
    expect(smuggled.status).toBe(404);
    expect(smuggled.body['message']).toBe('nodes "a/pods" not found');
  });

  it('refuses a body that is not JSON', async () => {
    const { request } = anApi();

    const reply = await request('PUT', '/v1/daemonsets', { rawBody: 'kind: DaemonSet' });

    expect(reply.status).toBe(400);
    expect(reply.body['message']).toMatch(/^the body is not valid JSON/);
  });

  it('refuses a body that is not one object', async () => {
    const { request } = anApi();

    const reply = await request('PUT', '/v1/daemonsets', { body: [fixtureObject('fluentd.yaml')] });

    expect(reply.status).toBe(400);
    expect(reply.body['message']).toBe('the body must be one JSON object');
  });

  it('refuses a body declared as something other than JSON', async () => {
    const { request } = anApi();

    const reply = await request('PUT', '/v1/daemonsets', {
      body: fixtureObject('fluentd.yaml'),
      headers: { 'content-type': 'application/yaml' },
    });

    expect(reply.status).toBe(415);
  });

  it('refuses a body larger than the limit', async () => {
    const { request, ingest } = anApi();
    const manifest = { ...fixtureObject('fluentd.yaml'), padding: 'x'.repeat(300 * 1024) };

    const reply = await request('PUT', '/v1/daemonsets', { body: manifest });

    expect(reply.status).toBe(413);
    expect(reply.body).toMatchObject({ reason: 'RequestEntityTooLarge' });
    expect(ingest.messages).toEqual([]);
  });

  it('turns an unexpected failure into a 500 Status and logs it', async () => {
    const store = new InMemoryClusterStore();
    store.listNodes = async () => {
      throw new Error('table unavailable');
    };
    const { request, errors } = anApi(store);

    const reply = await request('GET', '/v1/nodes');

    expect(reply.status).toBe(500);
    expect(reply.body).toMatchObject({ kind: 'Status', reason: 'InternalError' });
    expect(reply.body['message']).not.toContain('table unavailable');
    expect(errors).toHaveLength(1);
  });
});
