import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ApiDeps, Route, RouteRequest } from '../api-deps.js';
import { matchRoute } from '../match-route.js';
import { headerValue } from '../read-json-body.js';
import { ApiError, jsonResponse } from '../responses.js';
import {
  aggregatedDiscovery,
  aggregatedDiscoveryContentType,
  aggregatedDiscoveryWanted,
  apiGroupList,
  apiResourceList,
  apiVersions,
  versionInfo,
} from './kube-discovery.js';
import { openApiDocument, openApiRoot, openApiV2Response } from './kube-openapi.js';
import { getRoute, listRoute, MAX_WATCH_SECONDS, watchEncoder, watchOptions } from './kube-read-routes.js';
import { isWatch } from './kube-request.js';
import { groupVersion, KUBE_RESOURCES, type KubeResource, SERVED_GROUPS } from './kube-resources.js';
import { startWatch } from './kube-watch.js';
import { createRoute, deleteRoute, patchRoute, updateRoute } from './kube-write-routes.js';

const json = (body: unknown) => async () => jsonResponse(200, body);

/**
 * `/api` and `/apis`: aggregated discovery when the client asks for it (kubectl then needs no request per group
 * version), the legacy document otherwise. `Vary: Accept`, as the API server answers, so caches keep both.
 */
function discovery(scope: 'core' | 'named', legacy: unknown) {
  return async (request: RouteRequest) => {
    const version = aggregatedDiscoveryWanted(headerValue(request.event, 'accept'));
    if (version === undefined) return jsonResponse(200, legacy, { vary: 'Accept' });
    return jsonResponse(200, aggregatedDiscovery(scope, version), {
      'content-type': aggregatedDiscoveryContentType(version),
      vary: 'Accept',
    });
  };
}

function resourceRoutes(resource: KubeResource): Route[] {
  const prefix = resource.group === '' ? '/api/v1' : `/apis/${groupVersion(resource)}`;
  const collection = resource.namespaced
    ? `${prefix}/namespaces/{namespace}/${resource.plural}`
    : `${prefix}/${resource.plural}`;
  const item = `${collection}/{name}`;
  const can = (verb: string) => resource.verbs.includes(verb);
  const routes: Route[] = [{ method: 'GET', path: collection, handle: listRoute(resource) }];
  if (resource.namespaced)
    routes.push({ method: 'GET', path: `${prefix}/${resource.plural}`, handle: listRoute(resource) });
  routes.push({ method: 'GET', path: item, handle: getRoute(resource) });
  if (can('create')) routes.push({ method: 'POST', path: collection, handle: createRoute(resource) });
  if (can('update')) routes.push({ method: 'PUT', path: item, handle: updateRoute(resource) });
  if (can('patch')) routes.push({ method: 'PATCH', path: item, handle: patchRoute(resource) });
  if (can('delete')) routes.push({ method: 'DELETE', path: item, handle: deleteRoute(resource) });
  if (resource.status === true) routes.push({ method: 'GET', path: `${item}/status`, handle: getRoute(resource) });
  return routes;
}

function groupVersionRoute(request: RouteRequest) {
  const list = apiResourceList(`${request.params['group']}/${request.params['version']}`);
  if (list === undefined) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  return Promise.resolve(jsonResponse(200, list));
}

function openApiRoute(request: RouteRequest) {
  const document = openApiDocument(`${request.params['group']}/${request.params['version']}`);
  if (document === undefined) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  return Promise.resolve(jsonResponse(200, document));
}

function groupRoute(request: RouteRequest) {
  const group = SERVED_GROUPS.find((candidate) => candidate.name === request.params['group']);
  if (group === undefined) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  const versions = group.versions.map((version) => ({ groupVersion: `${group.name}/${version}`, version }));
  return Promise.resolve(
    jsonResponse(200, {
      kind: 'APIGroup',
      apiVersion: 'v1',
      name: group.name,
      versions,
      preferredVersion: versions[0],
    }),
  );
}

/**
 * The Kubernetes API for what everynode owns (docs/kubernetes-api.md): discovery, `apps/v1` DaemonSets (and
 * OpenKruise's), nodes, pods, ControllerRevisions, events and namespaces, so kubectl and client libraries work
 * unchanged. Reads come from the store; writes are validated as `everynode validate` does and become facts on
 * the ingest queue, like every other write.
 */
export const KUBE_ROUTES: readonly Route[] = [
  { method: 'GET', path: '/version', handle: json(versionInfo()) },
  { method: 'GET', path: '/api', handle: discovery('core', apiVersions()) },
  { method: 'GET', path: '/apis', handle: discovery('named', apiGroupList()) },
  { method: 'GET', path: '/api/v1', handle: json(apiResourceList('v1')) },
  { method: 'GET', path: '/openapi/v2', handle: async () => openApiV2Response() },
  { method: 'GET', path: '/openapi/v3', handle: async () => jsonResponse(200, openApiRoot()) },
  { method: 'GET', path: '/openapi/v3/api/v1', handle: json(openApiDocument('v1')) },
  { method: 'GET', path: '/openapi/v3/apis/{group}/{version}', handle: openApiRoute },
  { method: 'GET', path: '/apis/{group}', handle: groupRoute },
  { method: 'GET', path: '/apis/{group}/{version}', handle: groupVersionRoute },
  ...KUBE_RESOURCES.flatMap(resourceRoutes),
];

/**
 * Opens a watch on the Kubernetes API as a stream of newline-delimited events, for a server that can stream
 * (the local control plane); the deployed handler answers the same request as a long poll instead. Undefined
 * when the request is not a watch; the error response when it is refused (a 410 for an unknown version, a 400
 * for a bad selector).
 */
export async function openKubeWatch(
  event: APIGatewayProxyEventV2,
  deps: ApiDeps,
  signal: AbortSignal,
): Promise<APIGatewayProxyStructuredResultV2 | AsyncIterable<string> | undefined> {
  if (!isWatch(event) || event.requestContext.http.method !== 'GET') return undefined;
  const match = matchRoute(KUBE_ROUTES, 'GET', event.rawPath);
  if (match.kind !== 'matched') return undefined;
  const resource = KUBE_RESOURCES.find((candidate) => listRoutePaths(candidate).includes(match.route.path));
  if (resource === undefined) return undefined;
  const request: RouteRequest = { event, params: match.params, observedAt: new Date().toISOString(), deps };
  try {
    const events = await startWatch(watchOptions(request, resource, MAX_WATCH_SECONDS, false, signal));
    const encode = watchEncoder(request, resource);
    return (async function* () {
      for await (const watchEvent of events) yield encode(watchEvent);
    })();
  } catch (error) {
    if (error instanceof ApiError) return error.toResponse();
    throw error;
  }
}

function listRoutePaths(resource: KubeResource): string[] {
  const prefix = resource.group === '' ? '/api/v1' : `/apis/${groupVersion(resource)}`;
  return resource.namespaced
    ? [`${prefix}/namespaces/{namespace}/${resource.plural}`, `${prefix}/${resource.plural}`]
    : [`${prefix}/${resource.plural}`];
}
