import { describe, expect, it } from 'vitest';
import {
  aDaemonSetWithManyTolerations,
  aDeepDaemonSetBody,
  aNodeBodyWithHugeQuantities,
  BAD_NAMES,
} from '../../fixtures/events/bad-inputs.js';
import { aDaemonSetManifest, aNodeManifest } from '../../fixtures/events/manifests.js';
import { anApi, REQUEST_TIME } from './api-harness.js';

const REPORT = {
  namespace: 'default',
  daemonSet: 'agent',
  podName: 'agent-node-a-1',
  nodeName: 'node-a',
  revisionHash: '6d4cf56db6',
  phase: 'Running',
  ready: true,
};

type Cause = Readonly<{ field?: string; message: string }>;

describe('the API, given input that can never be stored', () => {
  it('refuses a body nested 5,000 levels deep with 400, naming the limit and where', async () => {
    const { request, ingest } = anApi();

    const reply = await request('PUT', '/v1/daemonsets', { rawBody: aDeepDaemonSetBody(5000) });

    expect(reply.status).toBe(400);
    expect(reply.body['message']).toMatch(
      /^the body is nested more than 100 levels deep \(the limit is 100\) at spec\.template\.spec\.x-deep(\[0\])+$/,
    );
    expect(ingest.messages).toEqual([]);
  });

  it('refuses with 413 a DaemonSet whose stored item would be over 400 KB, naming it and the limit', async () => {
    const { request, ingest } = anApi();

    const reply = await request('PUT', '/v1/daemonsets', { body: aDaemonSetWithManyTolerations() });

    expect(reply.status).toBe(413);
    expect(reply.body).toMatchObject({
      reason: 'RequestEntityTooLarge',
      details: { name: 'tolerant', group: 'apps', kind: 'DaemonSet' },
    });
    expect(reply.body['message']).toMatch(
      /^DaemonSet\.apps "tolerant" is too large to store: it makes a \d+-byte DynamoDB item, more than the 409600 bytes \(400 KB\) DynamoDB allows$/,
    );
    expect(ingest.messages).toEqual([]);
  });

  it('refuses with 413 a node whose 1e20 quantities make its item over 400 KB', async () => {
    const { request, ingest } = anApi();

    const reply = await request('PUT', '/v1/nodes/node-q', { rawBody: aNodeBodyWithHugeQuantities('node-q') });

    expect(reply.status).toBe(413);
    expect(reply.body['message']).toMatch(/^Node "node-q" is too large to store: it makes a \d+-byte DynamoDB item/);
    expect(ingest.messages).toEqual([]);
  });

  it('refuses a node whose metadata is not an object', async () => {
    const { request, ingest } = anApi();

    const reply = await request('PUT', '/v1/nodes/node-a', { body: { ...aNodeManifest('node-a'), metadata: 'x' } });

    expect(reply.status).toBe(422);
    expect(reply.body['message']).toBe('Node "node-a" is invalid: metadata: Invalid value: "x": must be an object');
    expect(ingest.messages).toEqual([]);
  });

  it.each([
    ['PUT', '/v1/nodes/node-a', { ...aNodeManifest('node-a'), metadata: { creationTimestamp: 'not a date' } }],
    [
      'PUT',
      '/v1/daemonsets',
      { ...aDaemonSetManifest('agent'), metadata: { name: 'agent', creationTimestamp: 'not a date' } },
    ],
  ])('refuses %s %s with a creationTimestamp that is not a date', async (method, path, body) => {
    const { request, ingest } = anApi();

    const reply = await request(method, path, { body });

    expect(reply.status).toBe(422);
    expect((reply.body['details'] as { causes: Cause[] }).causes).toContainEqual(
      expect.objectContaining({
        field: 'metadata.creationTimestamp',
        message: expect.stringMatching(/^Invalid value: "not a date": must be an RFC 3339 time/),
      }),
    );
    expect(ingest.messages).toEqual([]);
  });

  it('refuses labels named __proto__ instead of dropping them', async () => {
    const { request, ingest } = anApi();
    const body = JSON.stringify(aNodeManifest('node-a')).replace('"labels":{', '"labels":{"__proto__":"x",');

    const reply = await request('PUT', '/v1/nodes/node-a', { rawBody: body });

    expect(reply.status).toBe(422);
    expect((reply.body['details'] as { causes: Cause[] }).causes).toContainEqual(
      expect.objectContaining({
        field: 'metadata.labels',
        message: expect.stringMatching(/^Invalid value: "__proto__"/),
      }),
    );
    expect(ingest.messages).toEqual([]);
  });

  it.each(
    BAD_NAMES.flatMap(([label, name]) => [
      [`a node name with ${label}`, { ...REPORT, nodeName: name }, 'nodeName'],
      [`a pod name with ${label}`, { ...REPORT, podName: name }, 'podName'],
      [`a namespace with ${label}`, { ...REPORT, namespace: name }, 'namespace'],
    ]),
  )('refuses a pod status report with %s', async (_label, body, field) => {
    const { request, ingest } = anApi();

    const reply = await request('POST', '/v1/pods/status', { body });

    expect(reply.status).toBe(422);
    expect((reply.body['details'] as { causes: Cause[] }).causes).toEqual([
      expect.objectContaining({ field, message: expect.stringMatching(/^Invalid value: .*RFC 1123/) }),
    ]);
    expect(ingest.messages).toEqual([]);
  });

  it('refuses a pod status report with a 200 KB revision hash, quoting only its start', async () => {
    const { request, ingest } = anApi();

    const reply = await request('POST', '/v1/pods/status', { body: { ...REPORT, revisionHash: 'a'.repeat(200_000) } });

    expect(reply.status).toBe(422);
    expect(reply.body['message']).toBe(
      `PodStatusReport "agent-node-a-1" is invalid: revisionHash: Invalid value: "${'a'.repeat(64)}...": must be no more than 63 characters`,
    );
    expect(ingest.messages).toEqual([]);
  });

  it('refuses a pod status report ready since the far future', async () => {
    const { request, ingest } = anApi();

    const reply = await request('POST', '/v1/pods/status', { body: { ...REPORT, readySince: '9999-12-31T00:00:00Z' } });

    expect(reply.status).toBe(422);
    expect(reply.body['message']).toBe(
      `PodStatusReport "agent-node-a-1" is invalid: readySince: Invalid value: "9999-12-31T00:00:00Z": must not be more than 300 seconds ahead of the request time (${new Date(REQUEST_TIME).toISOString()})`,
    );
    expect(ingest.messages).toEqual([]);
  });
});
