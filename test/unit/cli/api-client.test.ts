import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../../../cli/api/api-client.js';
import { CliError } from '../../../cli/cli-error.js';

type Seen = { method: string; url: string; headers: IncomingHttpHeaders; body: string };
type Reply = { status: number; body?: unknown };

let server: Server;
let url = '';
let seen: Seen[] = [];
let reply: Reply = { status: 200, body: {} };

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      response.writeHead(reply.status, { 'content-type': 'application/json' });
      response.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => {
  seen = [];
  reply = { status: 200, body: {} };
  vi.unstubAllEnvs();
});

const local = () => new ApiClient({ url, auth: { kind: 'token', token: 'secret' }, local: true });

async function failure(request: Promise<unknown>): Promise<CliError> {
  const error = await request.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof CliError)) throw new Error(`expected a CliError, got ${String(error)}`);
  return error;
}

describe('ApiClient', () => {
  it('sends the bearer token and a JSON body', async () => {
    await local().put('/v1/daemonsets', { kind: 'DaemonSet' });

    expect(seen).toEqual([
      expect.objectContaining({ method: 'PUT', url: '/v1/daemonsets', body: '{"kind":"DaemonSet"}' }),
    ]);
    expect(seen[0]?.headers).toMatchObject({ authorization: 'Bearer secret', 'content-type': 'application/json' });
  });

  it('treats 404 as absence when finding', async () => {
    reply = { status: 404, body: { kind: 'Status', reason: 'NotFound', message: 'nodes "x" not found' } };

    const found = await local().find('/v1/nodes/x');

    expect(found).toBeUndefined();
  });

  it('turns a refusal into kubectl wording and exit 1', async () => {
    reply = { status: 404, body: { kind: 'Status', reason: 'NotFound', message: 'daemonsets.apps "x" not found' } };

    const error = await failure(local().delete('/v1/daemonsets/default/x'));

    expect(error.exitCode).toBe(1);
    expect(error.lines).toEqual(['Error from server (NotFound): daemonsets.apps "x" not found']);
  });

  it('prints the field causes of an invalid manifest and exits 2', async () => {
    reply = {
      status: 422,
      body: {
        kind: 'Status',
        reason: 'Invalid',
        message: 'DaemonSet.apps "x" is invalid: ...',
        details: { causes: [{ field: 'spec.selector', message: 'Required value' }] },
      },
    };

    const error = await failure(local().put('/v1/daemonsets', {}));

    expect(error.exitCode).toBe(2);
    expect(error.lines).toEqual(['spec.selector: Required value']);
  });

  it('explains how to start a local control plane that is not running', async () => {
    const client = new ApiClient({ url: 'http://127.0.0.1:9', auth: { kind: 'none' }, local: true });

    const error = await failure(client.get('/v1/nodes'));

    expect(error.exitCode).toBe(1);
    expect(error.message).toBe(
      'cannot reach everynode at http://127.0.0.1:9: is it running? Start it with `npm start`',
    );
  });

  it('says to use http when https is tried on the local control plane', async () => {
    const client = new ApiClient({ url: url.replace('http:', 'https:'), auth: { kind: 'none' }, local: true });

    const error = await failure(client.get('/v1/nodes'));

    expect(error.exitCode).toBe(1);
    expect(error.message).toBe(
      `cannot reach everynode at ${url.replace('http:', 'https:')}: it answers plain http, not https; use ${url}`,
    );
  });

  it('names the token file a local 401 came from and how to point the CLI at another', async () => {
    reply = {
      status: 401,
      body: { kind: 'Status', reason: 'Unauthorized', message: 'a valid bearer token is required' },
    };
    const client = new ApiClient({
      url,
      auth: { kind: 'token', token: 'stale' },
      local: true,
      stateFile: '/repo/.everynode/local.json',
    });

    const error = await failure(client.get('/v1/nodes'));

    expect(error.message).toContain('the token in /repo/.everynode/local.json does not match the running server');
    expect(error.message).toContain('run the CLI with EVERYNODE_STATE_DIR=<dir>');
  });

  it('signs requests to a deployed endpoint with SigV4 for execute-api', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
    vi.stubEnv('AWS_SESSION_TOKEN', '');
    vi.stubEnv('AWS_PROFILE', '');
    const client = new ApiClient({ url, auth: { kind: 'sigv4', region: 'eu-west-1' }, local: false });

    await client.get('/v1/pods?daemonSet=kube-system%2Ffluentd');

    const headers = seen[0]?.headers ?? {};
    expect(headers['authorization']).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$/,
    );
    expect(headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
  });
});
