import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { makeApiHandler } from '../../../functions/api-handler.js';
import type { IngestMessage, IngestQueue } from '../../../lib/messages/ingest-message.js';
import type { ClusterStore } from '../../../lib/ports/cluster-store.js';
import { InMemoryClusterStore } from '../../../lib/store/memory/in-memory-cluster-store.js';
import { InMemoryHeartbeatStore } from '../../../lib/store/memory/in-memory-heartbeat-store.js';

/** The request time every test request carries (API Gateway's `requestContext.timeEpoch`). */
export const REQUEST_TIME = Date.UTC(2026, 0, 1, 12, 0, 0);

export type RequestOptions = Readonly<{
  body?: unknown;
  /** Sent as is instead of `JSON.stringify(body)`. */
  rawBody?: string;
  query?: Readonly<Record<string, string>>;
  headers?: Readonly<Record<string, string>>;
}>;

/** An API Gateway HTTP API event (payload format 2.0) as the `$default` stage delivers it. */
export function apiEvent(method: string, path: string, options: RequestOptions = {}): APIGatewayProxyEventV2 {
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const query = options.query ?? {};
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(Object.keys(query).length === 0 ? {} : { queryStringParameters: { ...query } }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '10.0.0.1', userAgent: 'test' },
      requestId: 'request-1',
      routeKey: '$default',
      stage: '$default',
      time: new Date(REQUEST_TIME).toUTCString(),
      timeEpoch: REQUEST_TIME,
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  };
}

/** An ingest queue that keeps what it is sent. */
export class RecordingIngestQueue implements IngestQueue {
  readonly messages: IngestMessage[] = [];

  async send(messages: readonly IngestMessage[]): Promise<void> {
    this.messages.push(...messages);
  }
}

export type ApiReply = Readonly<{
  status: number;
  body: Record<string, unknown>;
  headers: Readonly<Record<string, unknown>>;
}>;

/** The API handler over an in-memory store and a recording ingest queue. */
export function anApi(store: ClusterStore = new InMemoryClusterStore({ now: () => REQUEST_TIME })) {
  const ingest = new RecordingIngestQueue();
  const errors: unknown[] = [];
  const heartbeats = new InMemoryHeartbeatStore();
  const handler = makeApiHandler({
    store,
    heartbeats,
    ingest,
    logger: { error: (...args: unknown[]) => errors.push(args) },
  });
  const request = async (method: string, path: string, options: RequestOptions = {}): Promise<ApiReply> => {
    const result = await handler(apiEvent(method, path, options));
    return {
      status: result.statusCode ?? 0,
      body: JSON.parse(result.body ?? 'null') as Record<string, unknown>,
      headers: result.headers ?? {},
    };
  };
  return { store, heartbeats, ingest, errors, request };
}
