import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ApiDeps, Route } from './api/api-deps.js';
import { DAEMON_SET_ROUTES } from './api/daemon-set-routes.js';
import { KUBE_ROUTES } from './api/kube/kube-routes.js';
import { matchRoute } from './api/match-route.js';
import { NODE_ROUTES } from './api/node-routes.js';
import { POD_ROUTES } from './api/pod-routes.js';
import { ApiError, statusResponse } from './api/responses.js';

/** Every route of the everynode API (docs/api.md) and of its Kubernetes API (docs/kubernetes-api.md). */
export const API_ROUTES: readonly Route[] = [...DAEMON_SET_ROUTES, ...NODE_ROUTES, ...POD_ROUTES, ...KUBE_ROUTES];

export type ApiHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * The HTTP API (API Gateway HTTP API, payload format 2.0; IAM auth sits in front of it). Reads come
 * from the store; writes are validated here, so a bad manifest is refused with the API server's 422, and
 * then become facts on the ingest queue (202), stamped with the request time as `observedAt`. Errors are
 * Kubernetes `Status` objects.
 */
export function makeApiHandler(deps: ApiDeps): ApiHandler {
  return async (event) => {
    const method = event.requestContext.http.method;
    const match = matchRoute(API_ROUTES, method, event.rawPath);
    if (match.kind === 'notFound') {
      return statusResponse(404, 'NotFound', `the server could not find the requested resource ${event.rawPath}`);
    }
    if (match.kind === 'methodNotAllowed') {
      const allow = [...new Set(match.allowed)].join(', ');
      return statusResponse(
        405,
        'MethodNotAllowed',
        `${method} is not supported on ${event.rawPath}; use ${allow}`,
        undefined,
        {
          allow,
        },
      );
    }
    try {
      return await match.route.handle({ event, params: match.params, observedAt: requestTime(event), deps });
    } catch (error) {
      if (error instanceof ApiError) return error.toResponse();
      deps.logger?.error('request failed', { error, method, path: event.rawPath });
      return statusResponse(500, 'InternalError', 'an internal error occurred; the request was not completed');
    }
  };
}

/** When API Gateway received the request, as RFC 3339 UTC. */
function requestTime(event: APIGatewayProxyEventV2): string {
  const epoch = event.requestContext.timeEpoch;
  return new Date(Number.isFinite(epoch) ? epoch : Date.now()).toISOString();
}
