import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { JsonObject } from '../../../lib/model/daemon-set.js';
import type { RouteRequest } from '../api-deps.js';
import { ApiError, jsonResponse } from '../responses.js';
import { metaString } from './kube-meta.js';
import { isWatch, queryParam, wantsTable } from './kube-request.js';
import { groupVersion, type KubeResource, qualifiedResource } from './kube-resources.js';
import { TABLE_PRINTERS, toTable } from './kube-tables.js';
import { startWatch, WATCH_HISTORY, type WatchOptions } from './kube-watch.js';
import { decodeContinue, expiredContinue, LATEST, pageOf, parseLimit } from './list-page.js';
import { objectPredicate } from './select-objects.js';
import type { Snapshot, WatchEvent } from './watch-history.js';

/** The longest a watch stays open when the client names no `timeoutSeconds` (the API server's default is 30-60 min). */
const MAX_WATCH_SECONDS = 1800;

/**
 * A watch answered by a handler that cannot stream (API Gateway) lasts at most this long: within the API
 * function's 10 s timeout (infra/sizing.ts), with time left to list and answer.
 */
export const LONG_POLL_SECONDS = 7;

/** `NotFound`: `daemonsets.apps "fluentd" not found`, as kubectl prints it. */
export function kubeNotFound(resource: KubeResource, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualifiedResource(resource)} "${name}" not found`, {
    name,
    ...(resource.group === '' ? {} : { group: resource.group }),
    kind: resource.plural,
  });
}

/** Renders one object, or a Table of it when kubectl asks for one. */
export function objectResponse(
  request: RouteRequest,
  resource: KubeResource,
  object: JsonObject,
  statusCode = 200,
  headers: Readonly<Record<string, string>> = {},
) {
  const printer = TABLE_PRINTERS[resource.printer];
  if (!wantsTable(request.event) || printer === undefined) return jsonResponse(statusCode, object, headers);
  const includeObject = queryParam(request.event, 'includeObject') ?? 'Metadata';
  const table = toTable(
    printer,
    [object],
    { resourceVersion: metaString(object, 'resourceVersion') ?? '' },
    includeObject,
    Date.now(),
  );
  return jsonResponse(statusCode, table, headers);
}

/** The object the path names. @throws ApiError 404. */
export async function findObject(request: RouteRequest, resource: KubeResource): Promise<JsonObject> {
  const name = request.params['name'] ?? '';
  const namespace = resource.namespaced ? request.params['namespace'] : undefined;
  if (resource.find !== undefined) {
    const one = await resource.find(request.deps.store, namespace, name);
    if (one === undefined) throw kubeNotFound(resource, name);
    return one;
  }
  const objects = await resource.load(request.deps.store);
  const found = objects.find(
    (object) =>
      metaString(object, 'name') === name && (namespace === undefined || metaString(object, 'namespace') === namespace),
  );
  if (found === undefined) throw kubeNotFound(resource, name);
  return found;
}

export function getRoute(resource: KubeResource) {
  return async (request: RouteRequest) => objectResponse(request, resource, await findObject(request, resource));
}

/** What a list or watch request selects: the loader of its filtered members and a key naming the filter. */
export function selection(request: RouteRequest, resource: KubeResource) {
  const namespace = resource.namespaced ? request.params['namespace'] : undefined;
  const labelSelector = queryParam(request.event, 'labelSelector') ?? '';
  const fieldSelector = queryParam(request.event, 'fieldSelector') ?? '';
  const matches = objectPredicate(
    { ...(namespace === undefined ? {} : { namespace }), labelSelector, fieldSelector },
    resource,
  );
  const filterKey = JSON.stringify([
    groupVersion(resource),
    resource.plural,
    namespace ?? '',
    labelSelector,
    fieldSelector,
  ]);
  const load = async () => (await resource.load(request.deps.store)).filter(matches);
  return { filterKey, load };
}

/**
 * Encodes watch events as the request asks: the objects themselves, or (for `kubectl get -w`) each as a
 * one-row Table, the column definitions in the first one only, as the API server sends them.
 */
export function watchEncoder(request: RouteRequest, resource: KubeResource): (event: WatchEvent) => string {
  const printer = TABLE_PRINTERS[resource.printer];
  if (!wantsTable(request.event) || printer === undefined) return (event) => `${JSON.stringify(event)}\n`;
  const includeObject = queryParam(request.event, 'includeObject') ?? 'Metadata';
  let first = true;
  return (event) => {
    if (event.type === 'BOOKMARK') return `${JSON.stringify(event)}\n`;
    const meta = { resourceVersion: metaString(event.object, 'resourceVersion') ?? '' };
    const table = toTable(printer, [event.object], meta, includeObject, Date.now());
    const object = first ? table : { ...table, columnDefinitions: [] };
    first = false;
    return `${JSON.stringify({ type: event.type, object })}\n`;
  };
}

/** Watches end here, as a long poll; the local control plane streams them instead (see `kubeWatchStream`). */
async function watchResponse(
  request: RouteRequest,
  resource: KubeResource,
): Promise<APIGatewayProxyStructuredResultV2> {
  const options = watchOptions(request, resource, LONG_POLL_SECONDS, true);
  const lines: string[] = [];
  for await (const event of await startWatch(options)) lines.push(JSON.stringify(event));
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: lines.map((line) => `${line}\n`).join(''),
  };
}

export function watchOptions(
  request: RouteRequest,
  resource: KubeResource,
  maxSeconds: number,
  stopAfterFirstBatch: boolean,
  signal?: AbortSignal,
): WatchOptions {
  const { filterKey, load } = selection(request, resource);
  const timeoutText = queryParam(request.event, 'timeoutSeconds');
  const timeout = timeoutText === undefined ? maxSeconds : Math.min(Math.max(Number(timeoutText) || 0, 0), maxSeconds);
  return {
    resource,
    filterKey,
    load,
    fromVersion: queryParam(request.event, 'resourceVersion') ?? '',
    until: Date.now() + timeout * 1000,
    bookmarks: queryParam(request.event, 'allowWatchBookmarks') === 'true',
    stopAfterFirstBatch,
    ...(signal === undefined ? {} : { signal }),
  };
}

export { MAX_WATCH_SECONDS };

/**
 * A list: the filtered collection is read, rendered and recorded once, on its first page (its resourceVersion is
 * a digest of every member, and a watch from it diffs against that state); with `limit`, each following page
 * comes from that recorded state by its `continue` token, touching only the page's members. A token whose state
 * is no longer kept is answered `410 Expired` with a token that goes on from the current state, as the API server
 * answers one older than its compaction.
 */
export function listRoute(resource: KubeResource) {
  return async (request: RouteRequest) => {
    if (isWatch(request.event)) return watchResponse(request, resource);
    const limit = parseLimit(queryParam(request.event, 'limit'));
    const token = decodeContinue(queryParam(request.event, 'continue'));
    const { filterKey, load } = selection(request, resource);
    let resourceVersion: string;
    let snapshot: Snapshot | undefined;
    if (token !== undefined && token.resourceVersion !== LATEST) {
      resourceVersion = token.resourceVersion;
      snapshot = WATCH_HISTORY.find(filterKey, resourceVersion);
      if (snapshot === undefined) return expiredContinue(token);
    } else {
      resourceVersion = WATCH_HISTORY.record(filterKey, await load());
      snapshot = WATCH_HISTORY.find(filterKey, resourceVersion);
      if (snapshot === undefined) throw new Error(`the list of ${resource.plural} just recorded is not kept`);
    }
    const { items, continueToken, remaining } = pageOf(snapshot, resourceVersion, token?.start, limit);
    const listMeta = {
      resourceVersion,
      ...(continueToken === undefined ? {} : { continue: continueToken, remainingItemCount: remaining ?? 0 }),
    };
    const printer = TABLE_PRINTERS[resource.printer];
    if (wantsTable(request.event) && printer !== undefined) {
      const includeObject = queryParam(request.event, 'includeObject') ?? 'Metadata';
      return jsonResponse(200, toTable(printer, items, listMeta, includeObject, Date.now()));
    }
    return jsonResponse(200, {
      kind: `${resource.kind}List`,
      apiVersion: groupVersion(resource),
      metadata: listMeta,
      items,
    });
  };
}
