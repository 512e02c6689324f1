import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { toApiGatewayEvent } from './to-api-gateway-event.js';

export type LocalHttpServerOptions = Readonly<{
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The bearer token every API request must carry. */
  token: string;
  /** The deployed API handler, run as API Gateway would run it. */
  api: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
  /**
   * Streams a response the handler cannot (a Kubernetes watch): undefined to leave the request to `api`, a
   * result to answer with it, or the chunks to write as they come until the client goes away.
   */
  stream?: (
    event: APIGatewayProxyEventV2,
    signal: AbortSignal,
  ) => Promise<APIGatewayProxyStructuredResultV2 | AsyncIterable<string> | undefined>;
  /** The dashboard page, served at `/`. */
  dashboardHtml: () => string;
  /** The dashboard's data, served at `/dashboard/state`. */
  dashboardState: () => Promise<unknown>;
  /**
   * The dashboard's queries, `/dashboard/<route>` (summary, heat map, nodes...): the route, the query string and
   * the request's `If-None-Match`; answers a status, a JSON body and an ETag.
   */
  dashboardApi?: (
    route: string,
    query: URLSearchParams,
    ifNoneMatch: string | undefined,
  ) => Promise<Readonly<{ status: number; body?: unknown; etag?: string }>>;
  /**
   * Local-only operator routes (`/local/...`, token required): path → JSON. A route is given the method and the
   * body; it may throw a `LocalRouteError` to answer with a status.
   */
  localRoutes?: Readonly<Record<string, (request: LocalRouteRequest) => unknown>>;
  onError?: (error: unknown) => void;
  /**
   * Also serve everything over TLS on this port (0 picks a free one), with this certificate: kubectl and
   * client-go send a bearer token only over TLS.
   */
  tls?: Readonly<{ key: string; cert: string; port: number }>;
}>;

/** What a local route sees of its request. */
export type LocalRouteRequest = Readonly<{ method: string; body: string }>;

/** A local route's refusal: its status and message, sent as the API sends errors. */
export class LocalRouteError extends Error {
  override readonly name = 'LocalRouteError';
  readonly status: number;
  readonly reason: string;

  constructor(status: number, reason: string, message: string) {
    super(message);
    this.status = status;
    this.reason = reason;
  }
}

export type LocalHttpServer = Readonly<{
  url: string;
  port: number;
  /** `https://127.0.0.1:<port>` when `tls` was given. */
  tlsUrl?: string;
  close(): Promise<void>;
}>;

/** Bodies above this are refused before the handler runs (API Gateway has its own ceiling too). */
const MAX_READ_BYTES = 1024 * 1024;

/** Raised when the port is taken, with a message a person can act on. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
}

/**
 * Serves the local control plane over node:http: the API handler behind a bearer token, and the
 * read-only dashboard without one. The dashboard is open only because the server binds to loopback;
 * its routes also refuse requests whose Host is not a loopback name, which defeats DNS rebinding.
 */
export async function startLocalHttpServer(options: LocalHttpServerOptions): Promise<LocalHttpServer> {
  assertLoopback(options.host);
  const expected = Buffer.from(`Bearer ${options.token}`);
  const listener = (request: IncomingMessage, response: ServerResponse): void => {
    handle(request, response).catch((error: unknown) => {
      options.onError?.(error);
      if (!response.headersSent) sendStatus(response, 500, 'InternalError', 'internal error');
      else response.destroy();
    });
  };
  const server = createServer(listener);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const method = request.method ?? 'GET';
    // Browsers ask for it with every dashboard visit; a 401 there only fills the console with noise.
    if (path === '/favicon.ico') {
      response.writeHead(204, { 'cache-control': 'max-age=86400' });
      return void response.end();
    }
    if (path === '/' || path.startsWith('/dashboard/')) {
      if (method !== 'GET' && method !== 'HEAD') return sendStatus(response, 405, 'MethodNotAllowed', 'use GET');
      if (!isLoopbackHost(request.headers.host)) {
        return sendStatus(response, 403, 'Forbidden', 'the dashboard answers only to localhost');
      }
      const gzip = acceptsGzip(request.headers['accept-encoding']);
      if (path === '/') return send(response, 200, 'text/html; charset=utf-8', options.dashboardHtml(), gzip);
      if (path === '/dashboard/state') {
        return send(response, 200, 'application/json', JSON.stringify(await options.dashboardState()), gzip);
      }
      if (options.dashboardApi === undefined) return sendStatus(response, 404, 'NotFound', `no route ${path}`);
      const ifNoneMatch = request.headers['if-none-match'];
      const answer = await options.dashboardApi(path.slice('/dashboard/'.length), url.searchParams, ifNoneMatch);
      if (answer.etag !== undefined) response.setHeader('etag', answer.etag);
      if (answer.status === 304) {
        response.writeHead(304, { 'cache-control': 'no-cache' });
        return void response.end();
      }
      return send(response, answer.status, 'application/json', JSON.stringify(answer.body ?? null), gzip, 'no-cache');
    }
    if (!isAuthorized(request.headers.authorization, expected)) {
      response.setHeader('www-authenticate', 'Bearer realm="everynode-local"');
      return sendStatus(response, 401, 'Unauthorized', 'a valid bearer token is required (see .everynode/local.json)');
    }
    const local = options.localRoutes?.[path];
    const body = await readBody(request);
    if (body === undefined) return sendStatus(response, 413, 'RequestEntityTooLarge', 'the request body is too large');
    if (local !== undefined) {
      try {
        return send(response, 200, 'application/json', JSON.stringify(await local({ method, body })));
      } catch (error) {
        if (!(error instanceof LocalRouteError)) throw error;
        return sendStatus(response, error.status, error.reason, error.message);
      }
    }
    const event = toApiGatewayEvent(request, body, Date.now());
    const aborted = new AbortController();
    response.on('close', () => aborted.abort());
    const streamed = await options.stream?.(event, aborted.signal);
    if (streamed !== undefined && Symbol.asyncIterator in streamed) return writeStream(response, streamed);
    writeResult(response, streamed ?? (await options.api(event)));
  }

  await listen(server, options.host, options.port);
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const servers: Server[] = [server];
  let tlsUrl: string | undefined;
  if (options.tls !== undefined) {
    const tlsServer = createTlsServer({ key: options.tls.key, cert: options.tls.cert }, listener);
    try {
      await listen(tlsServer, options.host, options.tls.port);
    } catch (error) {
      await new Promise((resolve) => server.close(resolve));
      throw error;
    }
    servers.push(tlsServer);
    tlsUrl = `https://${host}:${(tlsServer.address() as AddressInfo).port}`;
  }
  return {
    url: `http://${host}:${port}`,
    port,
    ...(tlsUrl === undefined ? {} : { tlsUrl }),
    close: () =>
      Promise.all(
        servers.map(
          (each) =>
            new Promise<void>((resolve, reject) => {
              each.close((error) => (error === undefined ? resolve() : reject(error)));
              each.closeAllConnections();
            }),
        ),
      ).then(() => undefined),
  };
}

/** The dashboard is served without a token, which is safe only on this machine's loopback interface. */
export function assertLoopback(host: string): void {
  if (!isLoopbackName(host)) {
    throw new Error(
      `the local control plane serves its dashboard without a token, so it binds only to loopback, not ${host}`,
    );
  }
}

/**
 * Fails fast with `PortInUseError` when the port is taken, before anything slow (DynamoDB Local) starts.
 * Port 0 is always free.
 */
export async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await listen(probe, host, port);
  await new Promise((resolve) => probe.close(resolve));
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(
              `port ${port} on ${host} is already in use (is another everynode control plane running?); choose another with --port`,
              { cause: error },
            )
          : error,
      );
    });
    server.listen(port, host, () => resolve());
  });
}

function isAuthorized(header: string | undefined, expected: Buffer): boolean {
  if (header === undefined) return false;
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A Host header naming this machine's loopback interface (with or without a port). */
function isLoopbackHost(host: string | undefined): boolean {
  return host !== undefined && isLoopbackName(host.replace(/:\d+$/, ''));
}

function isLoopbackName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === 'localhost' || lower === '[::1]' || lower === '::1' || /^127(\.\d{1,3}){3}$/.test(lower);
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_READ_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A chunked response, each chunk written as soon as it comes (a Kubernetes watch). */
async function writeStream(response: ServerResponse, chunks: AsyncIterable<string>): Promise<void> {
  response.writeHead(200, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'transfer-encoding': 'chunked',
  });
  response.flushHeaders();
  for await (const chunk of chunks) {
    if (response.destroyed) return;
    response.write(chunk);
  }
  response.end();
}

/** node:http leaves out the body of a HEAD response by itself. */
function writeResult(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  response.statusCode = result.statusCode ?? 200;
  for (const [name, value] of Object.entries(result.headers ?? {})) response.setHeader(name, String(value));
  if (result.cookies !== undefined) response.setHeader('set-cookie', result.cookies);
  const body = result.body ?? '';
  response.end(result.isBase64Encoded === true ? Buffer.from(body, 'base64') : body);
}

/** Bodies smaller than this go uncompressed (gzip would save nothing worth the CPU). */
const GZIP_FROM_BYTES = 1024;

/**
 * `no-store` by default; the dashboard's queries say `no-cache` instead, so the browser keeps the body and
 * revalidates it with `If-None-Match` (a 304 costs no body).
 */
function send(
  response: ServerResponse,
  statusCode: number,
  contentType: string,
  body: string,
  gzip = false,
  cacheControl = 'no-store',
): void {
  const headers = { 'content-type': contentType, 'cache-control': cacheControl, vary: 'accept-encoding' };
  if (gzip && body.length >= GZIP_FROM_BYTES) {
    response.writeHead(statusCode, { ...headers, 'content-encoding': 'gzip' });
    return void response.end(gzipSync(body, { level: 6 }));
  }
  response.writeHead(statusCode, headers);
  response.end(body);
}

/** Whether an `Accept-Encoding` header takes gzip (and does not refuse it with `q=0`). */
function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '')
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .some((part) => (part === 'gzip' || part.startsWith('gzip;')) && !/;\s*q=0(\.0*)?$/.test(part));
}

function sendStatus(response: ServerResponse, code: number, reason: string, message: string): void {
  const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  send(response, code, 'application/json', JSON.stringify(status));
}
