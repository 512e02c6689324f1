import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Endpoint, packageRootOf, resolveEndpoint } from '../api/resolve-endpoint.js';
import { CliError, EXIT_CODES } from '../cli-error.js';
import type { ConnectionOptions } from '../command-options.js';

export type ProxyOptions = ConnectionOptions &
  Readonly<{
    /** @default 8001, as `kubectl proxy` */
    port?: string | number;
    /** @default '127.0.0.1' */
    address?: string;
  }>;

/** The proxy: where it listens, and how to stop it. */
export type RunningProxy = Readonly<{ url: string; close(): Promise<void> }>;

/** Request headers passed upstream (everything else, credentials above all, is the proxy's to set). */
const FORWARDED_HEADERS = ['accept', 'content-type', 'user-agent'] as const;

/** Hosts the proxy answers to, as `kubectl proxy --accept-hosts` does by default: a DNS-rebinding guard. */
const LOOPBACK_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i;

/** How long one upstream watch poll may take before the proxy gives up on it (API Gateway answers within 30 s). */
const UPSTREAM_TIMEOUT_MS = 35_000;

/**
 * `everynode proxy`: serves the Kubernetes API (and the everynode API) of a deployed stack on localhost, as
 * `kubectl proxy` does for a cluster, signing every request upstream with SigV4 (or the local bearer token), so
 * kubectl and client libraries that cannot sign work unchanged. Watches, which the deployed API answers as long
 * polls, are resumed from the last resourceVersion until the client's `timeoutSeconds`, so the client sees one
 * stream.
 */
export async function startProxy(
  options: ProxyOptions,
  endpoint: Endpoint = resolveEndpoint({
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    env: process.env,
    cwd: process.cwd(),
    ...withPackageRoot(packageRootOf(process.argv[1])),
  }),
): Promise<RunningProxy> {
  const port = Number(options.port ?? 8001);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CliError(`--port must be a port number, not ${String(options.port)}`, EXIT_CODES.invalidInput);
  }
  const address = options.address ?? '127.0.0.1';
  // Whoever reaches the proxy acts with the caller's AWS credentials: it never listens beyond this machine.
  if (!/^(127(\.\d{1,3}){3}|::1|localhost)$/i.test(address)) {
    throw new CliError(
      `the proxy signs with your credentials, so it listens only on loopback, not ${address}`,
      EXIT_CODES.invalidInput,
    );
  }
  const server = createServer((request, response) => {
    forward(endpoint, request, response).catch((error: unknown) => {
      if (!response.headersSent)
        sendStatus(response, 502, 'BadGateway', `everynode at ${endpoint.url}: ${describe(error)}`);
      else response.destroy();
    });
  });
  await listen(server, address, port);
  const bound = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${bound.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Runs the proxy until the process is stopped. */
export async function runProxy(options: ProxyOptions): Promise<void> {
  const proxy = await startProxy(options);
  process.stdout.write(`Starting to serve on ${proxy.url.replace(/^http:\/\//, '')}\n`);
  process.stdout.write(`kubectl reaches everynode with: kubectl --server ${proxy.url} get daemonsets -A\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      proxy.close().then(resolve, resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

async function forward(endpoint: Endpoint, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (!LOOPBACK_HOST.test(request.headers.host ?? '')) {
    return sendStatus(response, 403, 'Forbidden', 'the proxy answers only to localhost');
  }
  const body = await readBody(request);
  const method = request.method ?? 'GET';
  const url = new URL(`${endpoint.url}${request.url ?? '/'}`);
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const watch = method === 'GET' && ['true', '1'].includes(url.searchParams.get('watch') ?? '');
  if (!watch) {
    const upstream = await send(endpoint, method, url, headers, body);
    response.writeHead(upstream.status, responseHeaders(upstream));
    response.end(Buffer.from(await upstream.arrayBuffer()));
    return;
  }
  await streamWatch(endpoint, url, headers, request, response);
}

/** A watch as one stream: each long poll resumes from the resourceVersion of the last event. */
async function streamWatch(
  endpoint: Endpoint,
  url: URL,
  headers: Record<string, string>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const timeout = Number(url.searchParams.get('timeoutSeconds') ?? '1800');
  const deadline = Date.now() + (Number.isFinite(timeout) && timeout > 0 ? timeout : 1800) * 1000;
  let closed = false;
  request.on('close', () => {
    closed = true;
  });
  let started = false;
  while (!closed && Date.now() < deadline) {
    const upstream = await send(endpoint, 'GET', url, headers, undefined);
    const text = await upstream.text();
    if (!started) {
      if (upstream.status !== 200) {
        response.writeHead(upstream.status, responseHeaders(upstream));
        return void response.end(text);
      }
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      started = true;
    } else if (upstream.status !== 200) {
      // Mid-stream, the API server reports an error (a 410 for a version gone) as an ERROR event.
      response.write(`${JSON.stringify({ type: 'ERROR', object: JSON.parse(text || '{}') })}\n`);
      return void response.end();
    }
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      response.write(`${line}\n`);
      const version = resourceVersionOf(line);
      if (version !== undefined) url.searchParams.set('resourceVersion', version);
    }
  }
  response.end();
}

function resourceVersionOf(line: string): string | undefined {
  try {
    const event = JSON.parse(line) as { object?: { metadata?: { resourceVersion?: unknown } } };
    const version = event.object?.metadata?.resourceVersion;
    return typeof version === 'string' && version !== '' ? version : undefined;
  } catch {
    return undefined;
  }
}

async function send(
  endpoint: Endpoint,
  method: string,
  url: URL,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<Response> {
  const payload = body === undefined || body === '' || method === 'GET' || method === 'HEAD' ? undefined : body;
  let signed: Record<string, string> = headers;
  if (endpoint.auth.kind === 'token') signed = { ...headers, authorization: `Bearer ${endpoint.auth.token}` };
  if (endpoint.auth.kind === 'sigv4') {
    process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
    const { signRequest } = await import('../api/sign-request.js');
    signed = await signRequest({ method, url, headers, body: payload }, endpoint.auth.region);
  }
  return fetch(url, {
    method,
    headers: signed,
    ...(payload === undefined ? {} : { body: payload }),
    signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
  });
}

function responseHeaders(upstream: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'warning', 'cache-control', 'www-authenticate']) {
    const value = upstream.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  return headers;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendStatus(response: ServerResponse, code: number, reason: string, message: string): void {
  const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  response.writeHead(code, { 'content-type': 'application/json' });
  response.end(JSON.stringify(status));
}

function listen(server: Server, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new CliError(`port ${port} on ${address} is already in use; choose another with --port`, EXIT_CODES.failure)
          : error,
      ),
    );
    server.listen(port, address, () => resolve());
  });
}

function withPackageRoot(root: string | undefined): { packageRoot?: string } {
  return root === undefined ? {} : { packageRoot: root };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
