import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { ApiResponse, HttpMethod } from '../cli/api/api-client.js';
import { toApiError } from '../cli/api/api-error.js';
import { authorizeRequest } from '../cli/api/authorize-request.js';
import type { Endpoint } from '../cli/api/resolve-endpoint.js';
import { CliError, EXIT_CODES } from '../cli/cli-error.js';

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The agent's client of the everynode API: the CLI's `ApiClient` contract (same endpoint resolution, bearer
 * token or SigV4, the same errors) on `node:http` with kept-alive connections instead of `fetch`, whose
 * HTTP stack alone costs a long-running agent about 9 MB of resident memory.
 */
export class AgentHttpClient {
  readonly endpoint: Endpoint;
  readonly #agent: HttpAgent;

  constructor(endpoint: Endpoint) {
    this.endpoint = endpoint;
    const options = { keepAlive: true, maxSockets: 4 };
    this.#agent = endpoint.url.startsWith('https:') ? new HttpsAgent(options) : new HttpAgent(options);
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

  /** One request; throws only when the server cannot be reached (or `signal` aborted it). */
  async send(method: HttpMethod, path: string, body?: unknown, signal?: AbortSignal): Promise<ApiResponse> {
    const url = new URL(`${this.endpoint.url}${path}`);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = await this.#headers(method, url, payload);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const options = { method, headers, agent: this.#agent, timeout: REQUEST_TIMEOUT_MS };
      const req = request(url, signal === undefined ? options : { ...options, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => reject(this.#unreachable(error)));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: parseBody(Buffer.concat(chunks).toString('utf8')) }),
        );
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000}s`)));
      req.on('error', (error) => reject(this.#unreachable(error)));
      req.end(payload);
    });
  }

  #expectOk(response: ApiResponse): unknown {
    if (response.status >= 200 && response.status < 300) return response.body;
    throw toApiError(response.status, response.body, this.endpoint);
  }

  async #headers(method: HttpMethod, url: URL, payload: string | undefined): Promise<Record<string, string>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    return authorizeRequest({ method, url, headers, body: payload }, this.endpoint.auth);
  }

  #unreachable(error: Error): CliError {
    const code = 'code' in error ? String(error.code) : error.message;
    return new CliError(`cannot reach everynode at ${this.endpoint.url}: ${code}`, EXIT_CODES.failure, {
      cause: error,
    });
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
