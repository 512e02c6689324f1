import { toList } from '../../lib/manifest/to-list.js';
import { podStatusReportSchema } from '../../lib/messages/ingest-message.js';
import { type DaemonSetKey, fromDaemonSetKey, type JsonObject, toDaemonSetKey } from '../../lib/model/daemon-set.js';
import type { Route, RouteRequest } from './api-deps.js';
import { causesFromZodError, invalid } from './invalid.js';
import { readJsonBody } from './read-json-body.js';
import { ApiError, acceptedResponse, jsonResponse } from './responses.js';
import { revisionTemplates, toPodObject } from './to-pod-object.js';

/** An agent's report as it arrives: `observedAt` is set by the API (the request time), so it may be left out. */
const reportBodySchema = podStatusReportSchema.extend({
  observedAt: podStatusReportSchema.shape.observedAt.optional(),
});

/** `GET /v1/pods[?daemonSet=namespace/name]`: the pods of one DaemonSet, or of all of them. */
async function listPods({ event, deps }: RouteRequest) {
  const filter = event.queryStringParameters?.['daemonSet'];
  const keys = filter === undefined ? await allKeys(deps) : [parseKey(filter)];
  const templateOf = await revisionTemplates(deps.store, keys);
  const objects: JsonObject[] = [];
  for (const key of keys) {
    for (const pod of await deps.store.listPods(key)) {
      objects.push(toPodObject(pod, key, templateOf(key, pod.revisionHash)));
    }
  }
  return jsonResponse(200, toList('PodList', objects));
}

/** `POST /v1/pods/status`: a node agent's `PodStatusReport`, enqueued as a `PodStatusReported` fact. */
async function reportPodStatus({ event, observedAt, deps }: RouteRequest) {
  const body = readJsonBody(event, deps.maxBodyBytes);
  const parsed = reportBodySchema.safeParse(body);
  const podName = typeof body['podName'] === 'string' ? body['podName'] : '';
  if (!parsed.success) throw invalid({ kind: 'PodStatusReport', name: podName }, causesFromZodError(parsed.error));
  await deps.ingest.send([{ type: 'PodStatusReported', report: { ...parsed.data, observedAt } }]);
  return acceptedResponse(`pod/${parsed.data.podName} status reported`, { name: parsed.data.podName, kind: 'pods' });
}

/** `GET /v1/rejections`: events the pipeline refused, newest last. */
async function listRejections({ deps }: RouteRequest) {
  const rejections = await deps.store.listRejections();
  return jsonResponse(200, {
    apiVersion: 'everynode.io/v1',
    kind: 'RejectionList',
    items: rejections.toSorted((a, b) => a.time.localeCompare(b.time)),
  });
}

async function allKeys(deps: RouteRequest['deps']): Promise<DaemonSetKey[]> {
  const stored = await deps.store.listDaemonSets();
  return stored.map(({ daemonSet }) => toDaemonSetKey(daemonSet.namespace, daemonSet.name));
}

function parseKey(value: string): DaemonSetKey {
  try {
    const { namespace, name } = fromDaemonSetKey(value);
    return toDaemonSetKey(namespace, name);
  } catch {
    throw new ApiError(400, 'BadRequest', `daemonSet must be namespace/name, got ${JSON.stringify(value)}`);
  }
}

/** `/v1/pods...` and `/v1/rejections`. */
export const POD_ROUTES: readonly Route[] = [
  { method: 'GET', path: '/v1/pods', handle: listPods },
  { method: 'POST', path: '/v1/pods/status', handle: reportPodStatus },
  { method: 'GET', path: '/v1/rejections', handle: listRejections },
];
