import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { IngestQueue } from '../../lib/messages/ingest-message.js';
import type { ClusterStore } from '../../lib/ports/cluster-store.js';
import type { HeartbeatStore } from '../../lib/ports/heartbeat-store.js';

/** What the API handler needs: reads go to the store, writes become facts on the ingest queue. */
export type ApiDeps = Readonly<{
  store: ClusterStore;
  ingest: IngestQueue;
  /** Node agents' heartbeats (`PUT /v1/nodes/{name}/heartbeat`), kept apart from the node records. */
  heartbeats: HeartbeatStore;
  /** Reports unexpected failures (the 500s). */
  logger?: Pick<Logger, 'error'>;
  /** @default MAX_REQUEST_BODY_BYTES */
  maxBodyBytes?: number;
}>;

/** One matched request, as a route sees it. */
export type RouteRequest = Readonly<{
  event: APIGatewayProxyEventV2;
  /** Decoded path parameters (`{namespace}`, `{name}`). */
  params: Readonly<Record<string, string>>;
  /** The request time (API Gateway's `requestContext.timeEpoch`) as RFC 3339: every write's `observedAt`. */
  observedAt: string;
  deps: ApiDeps;
}>;

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH';

export type Route = Readonly<{
  method: HttpMethod;
  /** `/v1/daemonsets/{namespace}/{name}`: literal segments and `{parameter}` segments. */
  path: string;
  handle: (request: RouteRequest) => Promise<APIGatewayProxyStructuredResultV2>;
}>;
