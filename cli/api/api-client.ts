import { CliError, EXIT_CODES } from '../cli-error.js';
import type { ConnectionOptions } from '../command-options.js';
import { toApiError } from './api-error.js';
import { authorizeRequest } from './authorize-request.js';
import { type Endpoint, packageRootOf, resolveEndpoint } from './resolve-endpoint.js';

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE';

/** A response as the server sent it, body parsed as JSON when it is JSON. */
export type ApiResponse = Readonly<{ status: number; body: unknown }>;

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Talks to an everynode HTTP API, local (bearer token) or deployed (SigV4; the AWS SDK is loaded only then).
 * Non-2xx answers become `CliError`s that read like kubectl's: the server's message, exit 1, or the field
 * paths of an invalid manifest, exit 2.
 */
export class ApiClient {
  readonly endpoint: Endpoint;

  constructor(endpoint: Endpoint) {
    this.endpoint = endpoint;
  }

  /** GET that treats 404 as absence. */
  async find(path: string): Promise<unknown> {
    const response = await this.send('GET', path);
    if (response.status === 404) return undefined;
    return this.#expectOk(response);
  }

  async get(path: string): Promise<unknown> {
    return this.#expectOk(await this.send('GET', path));
  }

  async put(path: string, body: unknown): Promise<unknown> {
    return this.#expectOk(await this.send('PUT', path, body));
  }

  async post(path: string, body: unknown): Promise<unknown> {
    return this.#expectOk(await this.send('POST', path, body));
  }

  async delete(path: string): Promise<unknown> {
    return this.#expectOk(await this.send('DELETE', path));
  }

  /** One request; throws only when the server cannot be reached. */
  async send(method: HttpMethod, path: string, body?: unknown): Promise<ApiResponse> {
    const url = new URL(`${this.endpoint.url}${path}`);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = await this.#headers(method, url, payload);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        ...(payload === undefined ? {} : { body: payload }),
      });
    } catch (error) {
      throw this.#unreachable(error);
    }
    const text = await response.text();
    return { status: response.status, body: parseBody(text) };
  }

  #expectOk(response: ApiResponse): unknown {
    if (response.status >= 200 && response.status < 300) return response.body;
    throw toApiError(response.status, response.body, this.endpoint);
  }

  async #headers(method: HttpMethod, url: URL, payload: string | undefined): Promise<Record<string, string>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    return authorizeRequest({ method, url, headers, body: payload }, this.endpoint.auth);
  }

  #unreachable(error: unknown): CliError {
    const reason = describeNetworkError(error);
    const { url, local } = this.endpoint;
    const message =
      local && url.startsWith('https:') && isTlsMismatch(error)
        ? `cannot reach everynode at ${url}: it answers plain http, not https; use ${url.replace(/^https:/, 'http:')}`
        : local
          ? `cannot reach everynode at ${url}: is it running? Start it with \`npm start\``
          : `cannot reach everynode at ${url}: ${reason}`;
    return new CliError(message, EXIT_CODES.failure, { cause: error });
  }
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A TLS handshake with a server that speaks plain http (`ERR_SSL_WRONG_VERSION_NUMBER`, `EPROTO`). */
function isTlsMismatch(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = cause instanceof Error && 'code' in cause ? String(cause.code) : '';
  const text = cause instanceof Error ? cause.message : '';
  return code === 'EPROTO' || code.startsWith('ERR_SSL') || /wrong version number|packet length too long/i.test(text);
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return `no answer within ${REQUEST_TIMEOUT_MS / 1000}s`;
  const cause = error.cause;
  if (cause instanceof Error) return 'code' in cause ? String(cause.code) : cause.message;
  return error.message;
}

/** An API client for this invocation: `--endpoint`, the environment, or the local control plane's state file. */
export function connect(options: ConnectionOptions): ApiClient {
  return new ApiClient(
    resolveEndpoint({
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      env: process.env,
      cwd: process.cwd(),
      ...withPackageRoot(packageRootOf(process.argv[1])),
    }),
  );
}

const withPackageRoot = (packageRoot: string | undefined): { packageRoot?: string } =>
  packageRoot === undefined ? {} : { packageRoot };
