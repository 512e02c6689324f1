import { createServer, get, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Endpoint } from '../../cli/api/resolve-endpoint.js';
import { type RunningProxy, startProxy } from '../../cli/commands/proxy.js';

type Seen = Readonly<{ method: string; url: string; headers: IncomingHttpHeaders; body: string }>;

/** A stand-in for the deployed API: records what reaches it, answers watches as long polls. */
async function fakeUpstream(): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      const url = new URL(request.url ?? '/', 'http://upstream');
      if (url.searchParams.get('watch') !== 'true') {
        response.writeHead(200, { 'content-type': 'application/json', warning: '299 - "careful"' });
        return void response.end(JSON.stringify({ kind: 'NodeList', items: [] }));
      }
      const version = url.searchParams.get('resourceVersion');
      const next = version === null ? '1' : version === '1' ? '2' : 'gone';
      if (next === 'gone') {
        response.writeHead(410, { 'content-type': 'application/json' });
        return void response.end(JSON.stringify({ kind: 'Status', reason: 'Expired', code: 410 }));
      }
      const events = `${JSON.stringify({ type: 'MODIFIED', object: { kind: 'Node', metadata: { name: 'a', resourceVersion: next } } })}\n`;
      setTimeout(() => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(events);
      }, 50);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

let upstream: Awaited<ReturnType<typeof fakeUpstream>>;
let proxy: RunningProxy | undefined;
const saved = { ...process.env };

beforeEach(async () => {
  upstream = await fakeUpstream();
});

afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await new Promise((resolve) => upstream.server.close(resolve));
  process.env = { ...saved };
});

describe('everynode proxy', () => {
  it('signs every request upstream with SigV4 for service execute-api, passing the body and content type', async () => {
    process.env['AWS_ACCESS_KEY_ID'] = 'AKIDEXAMPLE';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
    delete process.env['AWS_SESSION_TOKEN'];
    delete process.env['AWS_PROFILE'];
    const endpoint: Endpoint = { url: upstream.url, auth: { kind: 'sigv4', region: 'eu-west-1' }, local: false };
    proxy = await startProxy({ port: 0 }, endpoint);

    const patch = await fetch(`${proxy.url}/api/v1/nodes/a?fieldManager=kubectl`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json', authorization: 'Bearer stolen' },
      body: '{"spec":{"unschedulable":true}}',
    });
    expect(patch.status).toBe(200);
    expect(patch.headers.get('warning')).toBe('299 - "careful"');

    const [seen] = upstream.seen;
    expect(seen?.method).toBe('PATCH');
    expect(seen?.url).toBe('/api/v1/nodes/a?fieldManager=kubectl');
    expect(seen?.body).toBe('{"spec":{"unschedulable":true}}');
    expect(seen?.headers['content-type']).toBe('application/merge-patch+json');
    expect(seen?.headers['authorization']).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=\S*host\S*, Signature=[0-9a-f]{64}$/,
    );
    expect(seen?.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
  });

  it('turns the long polls of a deployed watch into one stream, resuming from the last resourceVersion', async () => {
    proxy = await startProxy({ port: 0 }, { url: upstream.url, auth: { kind: 'token', token: 't0ken' }, local: true });

    const response = await fetch(`${proxy.url}/api/v1/nodes?watch=true&timeoutSeconds=30`);
    const events = (await response.text())
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as { type: string; object: { reason?: string; metadata?: { resourceVersion: string } } },
      );

    // Two polls, each resumed where the last ended; the third finds the version gone: an ERROR event ends the stream.
    expect(events.map((event) => event.object.metadata?.resourceVersion ?? event.object.reason)).toEqual([
      '1',
      '2',
      'Expired',
    ]);
    expect(events.at(-1)?.type).toBe('ERROR');
    const versions = upstream.seen.map((request) =>
      new URL(request.url, 'http://u').searchParams.get('resourceVersion'),
    );
    expect(versions).toEqual([null, '1', '2']);
    expect(upstream.seen.every((request) => request.headers['authorization'] === 'Bearer t0ken')).toBe(true);
  });

  it('passes a watch refused at its start through as it is', async () => {
    proxy = await startProxy({ port: 0 }, { url: upstream.url, auth: { kind: 'none' }, local: true });

    const refused = await fetch(`${proxy.url}/api/v1/nodes?watch=true&resourceVersion=2`);
    expect(refused.status).toBe(410);
    expect(await refused.json()).toMatchObject({ reason: 'Expired' });
  });

  it('answers only to localhost and listens only on loopback', async () => {
    await expect(
      startProxy({ port: 0, address: '0.0.0.0' }, { url: upstream.url, auth: { kind: 'none' }, local: true }),
    ).rejects.toThrow('listens only on loopback');
    proxy = await startProxy({ port: 0 }, { url: upstream.url, auth: { kind: 'none' }, local: true });
    const port = new URL(proxy.url).port;
    const rebound = await new Promise<number>((resolve) => {
      get({ host: '127.0.0.1', port, path: '/api', headers: { host: 'evil.example' } }, (response) =>
        resolve(response.statusCode ?? 0),
      );
    });
    expect(rebound).toBe(403);
    expect(upstream.seen).toEqual([]);
  });
});
