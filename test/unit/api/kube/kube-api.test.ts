import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { aKubeApi, DAEMON_SETS, fluentd, node } from './kube-harness.js';

type Json = Record<string, unknown>;
const meta = (body: Json) => body['metadata'] as Json;
const containerImages = (body: Json) =>
  (body['spec'] as { template: { spec: { containers: Json[] } } }).template.spec.containers.map((c) => c['image']);

describe('the Kubernetes API: discovery', () => {
  it('serves /version, /api, /apis and the resource lists kubectl discovers', async () => {
    const { request } = aKubeApi();

    expect((await request('GET', '/version')).body).toMatchObject({ major: '1', minor: '32' });
    expect((await request('GET', '/api')).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = (await request('GET', '/apis')).body['groups'] as Json[];
    expect(groups.map((group) => group['name'])).toEqual(['apps', 'apps.kruise.io']);
    const apps = (await request('GET', '/apis/apps/v1')).body['resources'] as Json[];
    expect(apps.find((resource) => resource['name'] === 'daemonsets')).toEqual({
      name: 'daemonsets',
      singularName: 'daemonset',
      namespaced: true,
      kind: 'DaemonSet',
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['ds'],
      categories: ['all'],
    });
    expect(apps.map((resource) => resource['name'])).toContain('daemonsets/status');
    expect((await request('GET', '/apis/batch/v1')).status).toBe(404);
  });

  it('answers /api and /apis with aggregated discovery when asked, as kubectl 1.26+ asks', async () => {
    const { raw } = aKubeApi();
    const kubectl = {
      accept:
        'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json',
    };

    const apis = await raw('GET', '/apis', { headers: kubectl });
    const core = await raw('GET', '/api', { headers: kubectl });
    const beta = await raw('GET', '/apis', {
      headers: { accept: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList' },
    });
    const legacy = await raw('GET', '/apis', { headers: { accept: 'application/json, */*' } });

    expect(apis.headers?.['content-type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const body = JSON.parse(apis.body ?? '') as { kind: string; apiVersion: string; items: Json[] };
    expect(body).toMatchObject({ kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2' });
    expect(body.items.map((item) => meta(item)['name'])).toEqual(['apps', 'apps.kruise.io']);
    const apps = body.items[0] as { versions: { version: string; resources: Json[]; freshness: string }[] };
    expect(apps.versions.map((version) => version.version)).toEqual(['v1']);
    expect(apps.versions[0]?.resources.find((resource) => resource['resource'] === 'daemonsets')).toEqual({
      resource: 'daemonsets',
      responseKind: { group: 'apps', version: 'v1', kind: 'DaemonSet' },
      scope: 'Namespaced',
      singularResource: 'daemonset',
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['ds'],
      categories: ['all'],
      subresources: [
        {
          subresource: 'status',
          responseKind: { group: 'apps', version: 'v1', kind: 'DaemonSet' },
          verbs: ['get', 'patch', 'update'],
        },
      ],
    });
    const coreBody = JSON.parse(core.body ?? '') as { items: { metadata: Json; versions: { resources: Json[] }[] }[] };
    expect(coreBody.items).toHaveLength(1);
    expect(coreBody.items[0]?.metadata['name']).toBeUndefined();
    expect(
      coreBody.items[0]?.versions[0]?.resources.find((resource) => resource['resource'] === 'nodes'),
    ).toMatchObject({ scope: 'Cluster', shortNames: ['no'] });
    expect(beta.headers?.['content-type']).toBe(
      'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList',
    );
    expect(JSON.parse(beta.body ?? '')).toMatchObject({ apiVersion: 'apidiscovery.k8s.io/v2beta1' });
    expect(JSON.parse(legacy.body ?? '')).toMatchObject({ kind: 'APIGroupList' });
    expect(legacy.headers?.['vary']).toBe('Accept');
  });

  it('declares fieldValidation on PATCH in OpenAPI v3, so kubectl validates on the server', async () => {
    const { request } = aKubeApi();
    const root = (await request('GET', '/openapi/v3')).body['paths'] as Record<string, { serverRelativeURL: string }>;
    expect(Object.keys(root).sort()).toEqual([
      'api/v1',
      'apis/apps.kruise.io/v1alpha1',
      'apis/apps.kruise.io/v1beta1',
      'apis/apps/v1',
    ]);

    const document = (await request('GET', '/openapi/v3/apis/apps/v1')).body as {
      paths: Record<string, { patch?: { parameters: Json[] } }>;
      components: { schemas: Record<string, Json> };
    };
    const patch = document.paths['/apis/apps/v1/namespaces/{namespace}/daemonsets/{name}']?.patch;
    expect(patch?.parameters.map((parameter) => parameter['name'])).toContain('fieldValidation');
    expect(document.components.schemas['io.k8s.api.apps.v1.DaemonSet']).toMatchObject({
      'x-kubernetes-group-version-kind': [{ group: 'apps', version: 'v1', kind: 'DaemonSet' }],
    });
  });

  it('serves OpenAPI v2 as the protobuf document older kubectl asks for: swagger 2.0, no definitions', async () => {
    const { raw } = aKubeApi();
    const reply = await raw('GET', '/openapi/v2');

    expect(reply.headers?.['content-type']).toBe('application/octet-stream');
    expect(reply.isBase64Encoded).toBe(true);
    expect([...Buffer.from(reply.body ?? '', 'base64')]).toEqual([0x0a, 0x03, ...Buffer.from('2.0')]);
  });
});

describe('the Kubernetes API: DaemonSets', () => {
  it('creates a DaemonSet (201, with uid and resourceVersion) and refuses a second create with AlreadyExists', async () => {
    const { request, ingest } = aKubeApi();

    const created = await request('POST', DAEMON_SETS, { body: fluentd() });
    expect(created.status).toBe(201);
    expect(meta(created.body)).toMatchObject({ name: 'fluentd', namespace: 'kube-system', generation: 1 });
    expect(meta(created.body)['uid']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ingest.messages.map((message) => message.type)).toEqual(['DaemonSetApplied']);

    const again = await request('POST', DAEMON_SETS, { body: fluentd() });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'AlreadyExists',
      message: 'daemonsets.apps "fluentd" already exists',
      details: { name: 'fluentd', group: 'apps', kind: 'daemonsets' },
      code: 409,
    });
    expect(ingest.messages).toHaveLength(1);
  });

  it('answers a missing DaemonSet with the NotFound Status kubectl prints', async () => {
    const { request } = aKubeApi();

    expect((await request('GET', `${DAEMON_SETS}/nope`)).body).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'daemonsets.apps "nope" not found',
      details: { name: 'nope', group: 'apps', kind: 'daemonsets' },
      code: 404,
    });
  });

  it('refuses an invalid DaemonSet with 422 Invalid and a cause per field, sending nothing', async () => {
    const { request, ingest } = aKubeApi();
    const bad = fluentd();
    bad.spec.selector.matchLabels.name = 'other';

    const refused = await request('POST', DAEMON_SETS, { body: bad });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      reason: 'Invalid',
      details: { kind: 'DaemonSet', group: 'apps', name: 'fluentd' },
    });
    expect(String(refused.body['message'])).toMatch(
      /^DaemonSet\.apps "fluentd" is invalid: spec\.template\.metadata\.labels: Invalid value/,
    );
    expect(ingest.messages).toEqual([]);
  });

  it('treats unknown fields as fieldValidation says: Strict refuses, Warn warns, Ignore drops', async () => {
    const withReplicas = { ...fluentd(), spec: { ...fluentd().spec, replicas: 3 } };
    const strict = await aKubeApi().request('POST', DAEMON_SETS, {
      body: withReplicas,
      query: { fieldValidation: 'Strict' },
    });
    expect(strict.status).toBe(400);
    expect(strict.body['message']).toBe(
      'DaemonSet in version "v1" cannot be handled as a DaemonSet: strict decoding error: unknown field "spec.replicas"',
    );

    const warned = await aKubeApi().request('POST', DAEMON_SETS, { body: withReplicas });
    expect(warned.status).toBe(201);
    expect(warned.headers['warning']).toBe('299 - "unknown field \\"spec.replicas\\""');

    const ignored = await aKubeApi().request('POST', DAEMON_SETS, {
      body: withReplicas,
      query: { fieldValidation: 'Ignore' },
    });
    expect(ignored.status).toBe(201);
    expect(ignored.headers['warning']).toBeUndefined();
  });

  it('patches with strategic merge (containers by name), JSON merge and JSON patches', async () => {
    const { request } = aKubeApi();
    await request('POST', DAEMON_SETS, { body: fluentd() });

    const strategic = await request('PATCH', `${DAEMON_SETS}/fluentd`, {
      headers: { 'content-type': 'application/strategic-merge-patch+json' },
      body: { spec: { template: { spec: { containers: [{ name: 'fluentd', image: 'fluent/fluentd:v2' }] } } } },
    });
    expect(strategic.status).toBe(200);
    expect(containerImages(strategic.body)).toEqual(['fluent/fluentd:v2', 'busybox:1']);
    expect(meta(strategic.body)['generation']).toBe(2);

    const merge = await request('PATCH', `${DAEMON_SETS}/fluentd`, {
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { metadata: { labels: { app: null, team: 'obs' } } },
    });
    expect(meta(merge.body)['labels']).toEqual({ team: 'obs' });

    const json = await request('PATCH', `${DAEMON_SETS}/fluentd`, {
      headers: { 'content-type': 'application/json-patch+json' },
      body: [{ op: 'replace', path: '/spec/template/spec/containers/1/image', value: 'busybox:2' }],
    });
    expect(containerImages(json.body)).toEqual(['fluent/fluentd:v2', 'busybox:2']);

    const failed = await request('PATCH', `${DAEMON_SETS}/fluentd`, {
      headers: { 'content-type': 'application/json-patch+json' },
      body: [{ op: 'test', path: '/spec/minReadySeconds', value: 5 }],
    });
    expect(failed.status).toBe(422);

    const unsupported = await request('PATCH', `${DAEMON_SETS}/fluentd`, {
      headers: { 'content-type': 'text/plain' },
      rawBody: 'x',
    });
    expect(unsupported.status).toBe(415);
    expect(unsupported.body['reason']).toBe('UnsupportedMediaType');
  });

  it('refuses an update from a stale resourceVersion with 409 Conflict', async () => {
    const { request } = aKubeApi();
    const created = await request('POST', DAEMON_SETS, { body: fluentd() });
    const stale = meta(created.body)['resourceVersion'];
    await request('PUT', `${DAEMON_SETS}/fluentd`, {
      body: { ...fluentd('fluent/fluentd:v2'), metadata: { ...fluentd().metadata, resourceVersion: stale } },
    });

    const conflict = await request('PUT', `${DAEMON_SETS}/fluentd`, {
      body: { ...fluentd('fluent/fluentd:v3'), metadata: { ...fluentd().metadata, resourceVersion: stale } },
    });
    expect(conflict.status).toBe(409);
    expect(conflict.body['message']).toBe(
      'Operation cannot be fulfilled on daemonsets.apps "fluentd": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('validates a dry run without sending anything', async () => {
    const { request, ingest } = aKubeApi();

    const dry = await request('POST', DAEMON_SETS, { body: fluentd(), query: { dryRun: 'All' } });
    expect(dry.status).toBe(201);
    expect(meta(dry.body)['name']).toBe('fluentd');
    expect(ingest.messages).toEqual([]);
    expect((await request('GET', `${DAEMON_SETS}/fluentd`)).status).toBe(404);
  });

  it('server-side applies: a fieldManager is required, other managers conflict unless forced', async () => {
    const { request } = aKubeApi();
    const apply = (image: string, manager: string, force = false) =>
      request('PATCH', `${DAEMON_SETS}/fluentd`, {
        headers: { 'content-type': 'application/apply-patch+yaml' },
        body: fluentd(image),
        query: { ...(manager === '' ? {} : { fieldManager: manager }), ...(force ? { force: 'true' } : {}) },
      });

    expect((await apply('a:1', '')).status).toBe(422);
    expect((await apply('a:1', 'ci')).status).toBe(201);
    expect((await apply('a:2', 'ci')).status).toBe(200);
    const conflict = await apply('b:1', 'platform');
    expect(conflict.status).toBe(409);
    expect(conflict.body['message']).toBe(
      'Apply failed with 1 conflict: conflict with "ci" using apps/v1: .spec.template.spec.containers[name="fluentd"].image',
    );
    const forced = await apply('b:1', 'platform', true);
    expect(containerImages(forced.body)).toEqual(['b:1', 'busybox:1']);
  });

  it('renders managedFields in FieldsV1 for each manager that applied, as the API server does', async () => {
    const { request } = aKubeApi();
    const apply = (body: unknown, manager: string) =>
      request('PATCH', `${DAEMON_SETS}/fluentd`, {
        headers: { 'content-type': 'application/apply-patch+yaml' },
        body,
        query: { fieldManager: manager },
      });
    await apply(fluentd(), 'ci');
    const labels = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'fluentd', labels: { team: 'a' } } };
    const applied = await apply(labels, 'labeller');

    const managed = meta(applied.body)['managedFields'] as Json[];
    expect(managed.map((entry) => [entry['manager'], entry['operation'], entry['fieldsType']])).toEqual([
      ['ci', 'Apply', 'FieldsV1'],
      ['labeller', 'Apply', 'FieldsV1'],
    ]);
    expect(managed[1]?.['fieldsV1']).toEqual({ 'f:metadata': { 'f:labels': { 'f:team': {} } } });
    const containers = ((managed[0]?.['fieldsV1'] ?? {}) as Json)['f:spec'] as Json;
    expect(((containers['f:template'] as Json)['f:spec'] as Json)['f:containers']).toEqual({
      'k:{"name":"fluentd"}': {
        '.': {},
        'f:name': {},
        'f:image': {},
        'f:env': { 'k:{"name":"A"}': { '.': {}, 'f:name': {}, 'f:value': {} } },
      },
      'k:{"name":"sidecar"}': { '.': {}, 'f:name': {}, 'f:image': {} },
    });
    // managedFields are the server's: one sent back in an update is ignored, not stored.
    const sent = { ...applied.body, metadata: { ...meta(applied.body), managedFields: [{ manager: 'forged' }] } };
    const updated = await request('PUT', `${DAEMON_SETS}/fluentd`, { body: sent });
    expect((meta(updated.body)['managedFields'] as Json[]).map((entry) => entry['manager'])).toEqual([
      'ci',
      'labeller',
    ]);
  });

  it('server-side applies a YAML body, and refuses YAML that does not parse or holds two documents', async () => {
    const { request } = aKubeApi();
    const apply = (rawBody: string) =>
      request('PATCH', `${DAEMON_SETS}/fluentd`, {
        headers: { 'content-type': 'application/apply-patch+yaml' },
        rawBody,
        query: { fieldManager: 'curl' },
      });
    const yaml = stringify(fluentd('fluent/fluentd:v1.16'));

    const applied = await apply(yaml);
    const broken = await apply('spec: [unclosed');
    const two = await apply(`${yaml}---\n${yaml}`);
    const merge = await request('PATCH', `${DAEMON_SETS}/fluentd`, {
      headers: { 'content-type': 'application/merge-patch+json' },
      rawBody: 'spec: {}',
    });

    expect(applied.status).toBe(201);
    expect(containerImages(applied.body)).toEqual(['fluent/fluentd:v1.16', 'busybox:1']);
    expect(broken.status).toBe(400);
    expect(broken.body['message']).toMatch(/^the body does not parse as YAML: /);
    expect(two.status).toBe(400);
    expect(two.body['message']).toBe('the body does not parse: an apply patch is one YAML document');
    expect(merge.status).toBe(400);
  });

  it('deletes: the removal becomes a fact and the answer is a Success Status', async () => {
    const { request, ingest } = aKubeApi();
    await request('POST', DAEMON_SETS, { body: fluentd() });

    const deleted = await request('DELETE', `${DAEMON_SETS}/fluentd`);
    expect(deleted.body).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'fluentd', kind: 'daemonsets', group: 'apps' },
    });
    expect(ingest.messages.at(-1)).toMatchObject({
      type: 'DaemonSetDeleted',
      namespace: 'kube-system',
      name: 'fluentd',
    });
  });
});

describe('the Kubernetes API: lists and tables', () => {
  async function withNodes(count: number) {
    const api = aKubeApi();
    for (let index = 0; index < count; index += 1) {
      const name = `node-${String(index).padStart(3, '0')}`;
      await api.request('POST', '/api/v1/nodes', { body: node(name, { zone: index % 2 === 0 ? 'a' : 'b' }) });
    }
    return api;
  }

  it('selects by label and field, and refuses an unsupported field label as the API server does', async () => {
    const { request } = await withNodes(4);

    const zoneA = (await request('GET', '/api/v1/nodes', { query: { labelSelector: 'zone=a' } })).body[
      'items'
    ] as Json[];
    expect(zoneA.map((item) => meta(item)['name'])).toEqual(['node-000', 'node-002']);
    const one = (await request('GET', '/api/v1/nodes', { query: { fieldSelector: 'metadata.name=node-003' } })).body[
      'items'
    ] as Json[];
    expect(one.map((item) => meta(item)['name'])).toEqual(['node-003']);
    const refused = await request('GET', '/api/v1/nodes', { query: { fieldSelector: 'spec.podCIDR=x' } });
    expect(refused.status).toBe(400);
    expect(refused.body['message']).toBe('field label not supported: spec.podCIDR');
  });

  it('pages with limit and continue, every node exactly once', async () => {
    const { request } = await withNodes(7);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const query: Record<string, string> = { limit: '3', ...(token === undefined ? {} : { continue: token }) };
      const page = (await request('GET', '/api/v1/nodes', { query })).body;
      seen.push(...(page['items'] as Json[]).map((item) => String(meta(item)['name'])));
      token = meta(page)['continue'] as string | undefined;
    } while (token !== undefined);

    expect(seen).toEqual(['node-000', 'node-001', 'node-002', 'node-003', 'node-004', 'node-005', 'node-006']);
  });

  it('serves every page from the state the first page listed, reading the store once', async () => {
    const { request, store } = await withNodes(7);
    let reads = 0;
    const listNodes = store.listNodes.bind(store);
    store.listNodes = async () => {
      reads += 1;
      return listNodes();
    };
    const first = (await request('GET', '/api/v1/nodes', { query: { limit: '3' } })).body;
    // A node joins behind the cursor, another after it: neither changes the list being paged.
    await request('POST', '/api/v1/nodes', { body: node('node-0005') });
    await request('POST', '/api/v1/nodes', { body: node('node-999') });
    const token = String(meta(first)['continue']);
    const second = (await request('GET', '/api/v1/nodes', { query: { limit: '3', continue: token } })).body;
    const third = (
      await request('GET', '/api/v1/nodes', { query: { limit: '3', continue: String(meta(second)['continue']) } })
    ).body;

    expect(reads).toBe(1);
    expect(meta(first)).toMatchObject({ remainingItemCount: 4 });
    expect([first, second, third].map((page) => meta(page)['resourceVersion'])).toEqual(
      Array(3).fill(meta(first)['resourceVersion']),
    );
    expect((second['items'] as Json[]).map((item) => meta(item)['name'])).toEqual(['node-003', 'node-004', 'node-005']);
    expect((third['items'] as Json[]).map((item) => meta(item)['name'])).toEqual(['node-006']);
    expect(meta(third)['continue']).toBeUndefined();
  });

  it('answers a continue token whose state is no longer kept 410 Expired, with a token that goes on from now', async () => {
    const { request } = await withNodes(5);
    const stale = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: '12345', start: 'node-001' })).toString(
      'base64url',
    );

    const expired = await request('GET', '/api/v1/nodes', { query: { limit: '2', continue: stale } });
    const renewed = String(meta(expired.body)['continue']);
    const rest = (await request('GET', '/api/v1/nodes', { query: { limit: '2', continue: renewed } })).body;
    const garbage = await request('GET', '/api/v1/nodes', { query: { limit: '2', continue: '%%%' } });

    expect(expired.status).toBe(410);
    expect(expired.body).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 });
    expect(expired.body['message']).toMatch(/^The provided continue parameter is too old to display a consistent list/);
    expect((rest['items'] as Json[]).map((item) => meta(item)['name'])).toEqual(['node-002', 'node-003']);
    expect(meta(rest)['continue']).toEqual(expect.any(String));
    expect(garbage.status).toBe(400);
  });

  it('answers Accept: as=Table with the columns of the API server printers', async () => {
    const { request } = await withNodes(1);
    await request('PATCH', '/api/v1/nodes/node-000', {
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { metadata: { labels: { 'node-role.kubernetes.io/control-plane': '' } }, spec: { unschedulable: true } },
    });

    const table = (
      await request('GET', '/api/v1/nodes', {
        headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
      })
    ).body as { kind: string; columnDefinitions: Json[]; rows: { cells: unknown[] }[] };
    expect(table.kind).toBe('Table');
    expect(
      table.columnDefinitions.filter((column) => column['priority'] === 0).map((column) => column['name']),
    ).toEqual(['Name', 'Status', 'Roles', 'Age', 'Version']);
    expect(table.rows[0]?.cells.slice(0, 3)).toEqual(['node-000', 'Ready,SchedulingDisabled', 'control-plane']);
  });
});
