import { toList } from '../../lib/manifest/to-list.js';
import { MAX_GRACE_PERIOD_SECONDS, podStatusReportSchema, quotedValue } from '../../lib/messages/ingest-message.js';
import { MAX_CLOCK_SKEW_SECONDS } from '../../lib/messages/parse-ingest-message.js';
import { type DaemonSetKey, fromDaemonSetKey, type JsonObject, toDaemonSetKey } from '../../lib/model/daemon-set.js';
import type { Route, RouteRequest } from './api-deps.js';
import { causesFromZodError, invalid } from './invalid.js';
import { readJsonBody } from './read-json-body.js';
import { ApiError, acceptedResponse, jsonResponse, notFound } from './responses.js';
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
function reportPodStatus(request: RouteRequest) {
  return acceptReport(request, undefined);
}

/**
 * `POST /v1/nodes/{name}/pods/status`: the same, for the node in the path only, so an agent's IAM permission
 * can be limited to its own node's routes (docs/deploy.md). `nodeName` may be left out of the body.
 */
function reportPodStatusOnNode(request: RouteRequest) {
  return acceptReport(request, request.params['name'] ?? '');
}

async function acceptReport({ event, observedAt, deps }: RouteRequest, pathNode: string | undefined) {
  const given = readJsonBody(event, deps.maxBodyBytes);
  const podName = typeof given['podName'] === 'string' ? given['podName'] : '';
  if (pathNode !== undefined && given['nodeName'] !== undefined && given['nodeName'] !== pathNode) {
    throw new ApiError(
      400,
      'BadRequest',
      `the report's nodeName (${String(given['nodeName'])}) does not match the node on the URL (${pathNode})`,
    );
  }
  const body = pathNode === undefined ? given : { ...given, nodeName: pathNode };
  const parsed = reportBodySchema.safeParse(body);
  if (!parsed.success) throw invalid({ kind: 'PodStatusReport', name: podName }, causesFromZodError(parsed.error));
  const { readySince } = parsed.data;
  if (readySince !== undefined && Date.parse(readySince) > Date.parse(observedAt) + MAX_CLOCK_SKEW_SECONDS * 1000) {
    throw invalid({ kind: 'PodStatusReport', name: podName }, [
      {
        reason: 'FieldValueInvalid',
        field: 'readySince',
        message: `Invalid value: ${quotedValue(readySince)}: must not be more than ${MAX_CLOCK_SKEW_SECONDS} seconds ahead of the request time (${observedAt})`,
      },
    ]);
  }
  await refuseMismatchedReport(parsed.data, deps);
  await deps.ingest.send([{ type: 'PodStatusReported', report: { ...parsed.data, observedAt } }]);
  return acceptedResponse(`pod/${parsed.data.podName} status reported`, { name: parsed.data.podName, kind: 'pods' });
}

/**
 * A report must name a pod of its DaemonSet on its node, at the revision that pod runs: anything else would
 * mark another pod ready (the store ignores such statuses too). A `gone` report for a pod no longer listed
 * is let through: it confirms what is already true.
 */
async function refuseMismatchedReport(
  report: Readonly<{
    namespace: string;
    daemonSet: string;
    podName: string;
    nodeName: string;
    revisionHash: string;
    gone?: boolean | undefined;
  }>,
  deps: RouteRequest['deps'],
): Promise<void> {
  const key = toDaemonSetKey(report.namespace, report.daemonSet);
  const pod = (await deps.store.listPodsOnNode(report.nodeName)).find(
    (candidate) => candidate.daemonSet === key && candidate.name === report.podName,
  );
  const subject = { kind: 'PodStatusReport', name: report.podName };
  if (pod === undefined && report.gone !== true) {
    throw invalid(subject, [
      {
        reason: 'FieldValueNotFound',
        field: 'podName',
        message: `Not found: ${JSON.stringify(report.podName)}: DaemonSet ${key} has no such pod on node ${report.nodeName}`,
      },
    ]);
  }
  if (pod !== undefined && pod.revisionHash !== report.revisionHash) {
    throw invalid(subject, [
      {
        reason: 'FieldValueInvalid',
        field: 'revisionHash',
        message: `Invalid value: ${quotedValue(report.revisionHash)}: pod ${report.podName} runs revision ${pod.revisionHash}`,
      },
    ]);
  }
}

/**
 * `DELETE /v1/pods/{namespace}/{name}[?gracePeriodSeconds=N]`: a user's pod deletion, enqueued as a `PodDeleted`
 * fact naming the pod by name and creation time. Its agent stops it and reports it gone, and the DaemonSet
 * replaces it; `gracePeriodSeconds=0` removes it at once (`kubectl delete --force --grace-period=0`).
 */
async function deletePod({ event, params, observedAt, deps }: RouteRequest) {
  const namespace = params['namespace'] ?? '';
  const name = params['name'] ?? '';
  const graceText = event.queryStringParameters?.['gracePeriodSeconds'];
  const grace = graceText === undefined || graceText === '' ? undefined : Number(graceText);
  if (grace !== undefined && (!Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_PERIOD_SECONDS)) {
    throw invalid({ kind: 'DeleteOptions', name }, [
      {
        reason: 'FieldValueInvalid',
        field: 'gracePeriodSeconds',
        message: `Invalid value: ${quotedValue(graceText ?? '')}: must be a whole number of seconds from 0 to ${MAX_GRACE_PERIOD_SECONDS}`,
      },
    ]);
  }
  const keys = (await deps.store.listDaemonSetKeys()).filter((key) => fromDaemonSetKey(key).namespace === namespace);
  for (const key of keys) {
    const pod = (await deps.store.listPods(key)).find((candidate) => candidate.name === name);
    if (pod === undefined) continue;
    await deps.ingest.send([
      {
        type: 'PodDeleted',
        namespace,
        daemonSet: fromDaemonSetKey(key).name,
        podName: name,
        nodeName: pod.nodeName,
        creationTimestamp: pod.creationTimestamp,
        ...(grace === undefined ? {} : { gracePeriodSeconds: grace }),
        observedAt,
      },
    ]);
    return acceptedResponse(`pod "${name}" deleted`, { name, kind: 'pods' });
  }
  throw notFound({ kind: 'pods' }, name);
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
  { method: 'DELETE', path: '/v1/pods/{namespace}/{name}', handle: deletePod },
  { method: 'POST', path: '/v1/nodes/{name}/pods/status', handle: reportPodStatusOnNode },
  { method: 'GET', path: '/v1/rejections', handle: listRejections },
];
