import { request as httpRequest } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import {
  assertPortFree,
  type LocalHttpServer,
  PortInUseError,
  startLocalHttpServer,
} from '../../../local/local-http-server.js';

const TOKEN = 'a'.repeat(43);

describe('startLocalHttpServer', () => {
  let server: LocalHttpServer | undefined;
  const events: APIGatewayProxyEventV2[] = [];
  const asked: { route: string; query: string; ifNoneMatch?: string }[] = [];

  const start = async () => {
    server = await startLocalHttpServer({
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      api: async (event) => {
        events.push(event);
        return {
          statusCode: 202,
          headers: { 'content-type': 'application/json', 'x-seen': 'yes' },
          body: '{"ok":true}',
        };
      },
      dashboardHtml: () => '<!doctype html><title>everynode</title>',
      dashboardState: async () => ({ rows: [] }),
      dashboardApi: async (route, query, ifNoneMatch) => {
        asked.push({ route, query: query.toString(), ...(ifNoneMatch === undefined ? {} : { ifNoneMatch }) });
        if (ifNoneMatch === '"v1"') return { status: 304, etag: '"v1"' };
        return { status: 200, body: { route, padding: 'x'.repeat(4096) }, etag: '"v1"' };
      },
      localRoutes: { '/local/dead-letters': () => ({ ingest: [] }) },
    });
    return server.url;
  };
  const authorized = { authorization: `Bearer ${TOKEN}` };

  afterEach(async () => {
    await server?.close();
    server = undefined;
    events.length = 0;
    asked.length = 0;
  });

  it('hands an authorized request to the API handler as a payload 2.0 event and writes back its result', async () => {
    const url = await start();

    const response = await fetch(`${url}/v1/nodes/worker-2?dryRun=All`, {
      method: 'PUT',
      headers: { ...authorized, 'content-type': 'application/json' },
      body: '{"kind":"Node"}',
    });

    expect(response.status).toBe(202);
    expect(response.headers.get('x-seen')).toBe('yes');
    expect(await response.json()).toEqual({ ok: true });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      version: '2.0',
      rawPath: '/v1/nodes/worker-2',
      rawQueryString: 'dryRun=All',
      queryStringParameters: { dryRun: 'All' },
      headers: { 'content-type': 'application/json' },
      body: '{"kind":"Node"}',
      isBase64Encoded: false,
      requestContext: { http: { method: 'PUT', path: '/v1/nodes/worker-2' }, stage: '$default' },
    });
    expect(Math.abs((events[0]?.requestContext.timeEpoch ?? 0) - Date.now())).toBeLessThan(5_000);
  });

  it('refuses a request without the bearer token before the handler sees it', async () => {
    const url = await start();

    const missing = await fetch(`${url}/v1/nodes`);
    const wrong = await fetch(`${url}/v1/nodes`, { headers: { authorization: `Bearer ${'b'.repeat(43)}` } });
    const local = await fetch(`${url}/local/dead-letters`);

    expect([missing.status, wrong.status, local.status]).toEqual([401, 401, 401]);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await missing.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    expect(events).toEqual([]);
  });

  it('serves the dashboard and its state without the token', async () => {
    const url = await start();

    const page = await fetch(`${url}/`);
    const state = await fetch(`${url}/dashboard/state`);

    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<title>everynode</title>');
    expect(await state.json()).toEqual({ rows: [] });
  });

  it('hands the dashboard queries to the dashboard without the token, with their ETag, compressed when asked', async () => {
    const url = await start();

    const plain = await fetch(`${url}/dashboard/nodes/worker-1?limit=5`, {
      headers: { 'accept-encoding': 'identity' },
    });
    const zipped = await fetch(`${url}/dashboard/summary`, { headers: { 'accept-encoding': 'gzip' } });
    const unchanged = await fetch(`${url}/dashboard/summary`, { headers: { 'if-none-match': '"v1"' } });

    expect(plain.status).toBe(200);
    expect(plain.headers.get('etag')).toBe('"v1"');
    expect(plain.headers.get('cache-control')).toBe('no-cache');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.json()).toMatchObject({ route: 'nodes/worker-1' });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(await zipped.json()).toMatchObject({ route: 'summary' });
    expect(unchanged.status).toBe(304);
    expect(asked).toEqual([
      { route: 'nodes/worker-1', query: 'limit=5' },
      { route: 'summary', query: '' },
      { route: 'summary', query: '', ifNoneMatch: '"v1"' },
    ]);
    expect(events).toEqual([]);
  });

  it('refuses to change anything through the dashboard routes', async () => {
    const url = await start();

    const response = await fetch(`${url}/dashboard/summary`, { method: 'POST', body: '{}' });

    expect(response.status).toBe(405);
    expect(asked).toEqual([]);
  });

  it('answers the browser favicon request with no content instead of 401', async () => {
    const url = await start();

    const response = await fetch(`${url}/favicon.ico`);

    expect(response.status).toBe(204);
    expect(events).toEqual([]);
  });

  it('refuses the dashboard to a Host that is not loopback (DNS rebinding)', async () => {
    const url = await start();

    const status = await new Promise<number | undefined>((resolve, reject) => {
      // fetch will not send a Host header of our choosing; node:http will.
      const request = httpRequest(`${url}/dashboard/summary`, { headers: { host: 'attacker.example' } }, (response) => {
        response.resume();
        resolve(response.statusCode);
      });
      request.once('error', reject).end();
    });

    expect(status).toBe(403);
    expect(asked).toEqual([]);
  });

  it('serves local operator routes with the token', async () => {
    const url = await start();

    const response = await fetch(`${url}/local/dead-letters`, { headers: authorized });

    expect(await response.json()).toEqual({ ingest: [] });
  });

  it('refuses a body over a mebibyte', async () => {
    const url = await start();

    const response = await fetch(`${url}/v1/daemonsets`, {
      method: 'PUT',
      headers: authorized,
      body: 'x'.repeat(1024 * 1024 + 1),
    });

    expect(response.status).toBe(413);
    expect(events).toEqual([]);
  });

  it('refuses to bind anywhere but loopback', async () => {
    const starting = startLocalHttpServer({
      host: '0.0.0.0',
      port: 0,
      token: TOKEN,
      api: async () => ({ statusCode: 200 }),
      dashboardHtml: () => '',
      dashboardState: async () => ({}),
    });

    await expect(starting).rejects.toThrow('binds only to loopback, not 0.0.0.0');
  });

  it('reports a taken port as PortInUseError', async () => {
    await start();
    const port = server?.port ?? 0;

    const attempt = assertPortFree('127.0.0.1', port);

    await expect(attempt).rejects.toThrow(PortInUseError);
    await expect(attempt).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
  });
});
