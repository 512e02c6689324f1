import * as z from 'zod';
import { fromNode } from '../../lib/manifest/from-node.js';
import { isJsonObject } from '../../lib/manifest/read-json.js';
import { toList } from '../../lib/manifest/to-list.js';
import { toNode } from '../../lib/manifest/to-node.js';
import type { IngestMessage } from '../../lib/messages/ingest-message.js';
import { storedNodeBytes } from '../../lib/store/dynamo/item-size.js';
import type { Route, RouteRequest } from './api-deps.js';
import { assertStorableSize } from './assert-storable-size.js';
import { causesFromFieldErrors, causesFromZodError, invalid, metadataName } from './invalid.js';
import { loadEvents, nodeEventObject } from './kube/load-kube-objects.js';
import { readJsonBody } from './read-json-body.js';
import { ApiError, acceptedResponse, jsonResponse, notFound } from './responses.js';
import { revisionTemplates, toPodObject } from './to-pod-object.js';

const NODES = { kind: 'nodes' } as const;

/** A Kubernetes object as an ingest message carries it. */
type MessageObject = Extract<IngestMessage, { type: 'NodeJoined' | 'NodeUpdated' }>['node'];

async function listNodes({ deps }: RouteRequest) {
  const nodes = await deps.store.listNodes();
  return jsonResponse(200, toList('NodeList', nodes.map(fromNode)));
}

async function getNode({ params, deps }: RouteRequest) {
  const name = params['name'] ?? '';
  const node = await deps.store.getNode(name);
  if (node === undefined) throw notFound(NODES, name);
  return jsonResponse(200, fromNode(node));
}

/** Joins or updates a node. The body's `metadata.name` may be left out; if given it must match the path. */
async function putNode({ event, params, observedAt, deps }: RouteRequest) {
  const name = params['name'] ?? '';
  const body = readJsonBody(event, deps.maxBodyBytes);
  const given = metadataName(body);
  if (given !== '' && given !== name) {
    throw new ApiError(
      400,
      'BadRequest',
      `the name of the object (${given}) does not match the name on the URL (${name})`,
    );
  }
  const givenMetadata = body['metadata'];
  if (givenMetadata !== undefined && !isJsonObject(givenMetadata)) {
    throw invalid({ kind: 'Node', name }, [
      {
        reason: 'FieldValueInvalid',
        field: 'metadata',
        message: `Invalid value: ${JSON.stringify(givenMetadata)}: must be an object`,
      },
    ]);
  }
  const metadata = givenMetadata ?? {};
  const existing = await deps.store.getNode(name);
  // A node keeps the creation time of its first join, as the API server keeps metadata.creationTimestamp.
  const creationTimestamp = existing?.creationTimestamp ?? metadataCreationTimestamp(metadata) ?? observedAt;
  const manifest = { ...body, metadata: { ...metadata, name, creationTimestamp } };
  const result = toNode(manifest);
  if (!result.ok) throw invalid({ kind: 'Node', name }, causesFromFieldErrors(result.errors));
  assertStorableSize({ kind: 'Node', name }, storedNodeBytes(result.value));
  const joined = existing === undefined;
  await deps.ingest.send([
    { type: joined ? 'NodeJoined' : 'NodeUpdated', node: manifest as MessageObject, observedAt },
  ]);
  return acceptedResponse(`node/${name} ${joined ? 'created' : 'configured'}`, { name, ...NODES });
}

function metadataCreationTimestamp(metadata: object): string | undefined {
  const value = (metadata as Record<string, unknown>)['creationTimestamp'];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

async function deleteNode({ params, observedAt, deps }: RouteRequest) {
  const name = params['name'] ?? '';
  if ((await deps.store.getNode(name)) === undefined) throw notFound(NODES, name);
  await deps.ingest.send([{ type: 'NodeRemoved', name, observedAt }]);
  // Its heartbeat goes with it: a node joined again under this name starts without one.
  await deps.heartbeats.remove(name);
  return acceptedResponse(`node "${name}" deleted`, { name, ...NODES });
}

const drainBodySchema = z
  .object({
    timeoutSeconds: z.int().positive().max(86_400).optional(),
    keep: z.boolean().optional(),
  })
  .strict();

/**
 * Drains a node (the `NodeDrainRequested` fact): its DaemonSet pods are deleted non-critical first, startup-critical
 * last, then the node is removed, or kept cordoned with `keep`. Body: `{"timeoutSeconds": 300, "keep": true}`.
 */
async function drainNode({ event, params, observedAt, deps }: RouteRequest) {
  const name = params['name'] ?? '';
  const body = event.body === undefined || event.body === '' ? {} : readJsonBody(event, deps.maxBodyBytes);
  const parsed = drainBodySchema.safeParse(body);
  if (!parsed.success) throw invalid({ kind: 'NodeDrain', name }, causesFromZodError(parsed.error));
  if ((await deps.store.getNode(name)) === undefined) throw notFound(NODES, name);
  const { timeoutSeconds, keep } = parsed.data;
  await deps.ingest.send([
    {
      type: 'NodeDrainRequested',
      name,
      ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
      ...(keep === undefined ? {} : { keep }),
      observedAt,
    },
  ]);
  return acceptedResponse(`node/${name} draining`, { name, ...NODES });
}

/**
 * `GET /v1/events`: v1 Events, as `kubectl get events` lists them: each DaemonSet's and the startup gate's about
 * nodes; `?node=<name>` only those about that node (one query), for `describe node`.
 */
async function listEvents({ event, deps }: RouteRequest) {
  const node = event.queryStringParameters?.['node'];
  const objects =
    node === undefined ? await loadEvents(deps.store) : (await deps.store.listNodeEvents(node)).map(nodeEventObject);
  return jsonResponse(200, toList('EventList', objects));
}

/** The node agent's one query: every DaemonSet pod desired on its node, terminating ones included. */
async function listPodsOnNode({ params, deps }: RouteRequest) {
  const pods = await deps.store.listPodsOnNode(params['name'] ?? '');
  const templateOf = await revisionTemplates(
    deps.store,
    pods.map((pod) => pod.daemonSet),
  );
  const objects = pods.map((pod) => toPodObject(pod, pod.daemonSet, templateOf(pod.daemonSet, pod.revisionHash)));
  return jsonResponse(200, toList('PodList', objects));
}

/**
 * `PUT /v1/nodes/{name}/heartbeat`: a node agent is alive. One small conditional write (the request time as
 * the renew time), never the node record: the lifecycle controller (`checkNodeLiveness`) reads them.
 */
async function renewHeartbeat({ params, observedAt, deps }: RouteRequest) {
  const name = params['name'] ?? '';
  if ((await deps.store.getNode(name)) === undefined) throw notFound(NODES, name);
  await deps.heartbeats.renew(name, observedAt);
  return jsonResponse(200, {
    kind: 'NodeHeartbeat',
    apiVersion: 'everynode.io/v1',
    nodeName: name,
    renewTime: observedAt,
  });
}

/** `/v1/nodes...`: list, read, join or update, remove, and the agent's pod query. */
export const NODE_ROUTES: readonly Route[] = [
  { method: 'GET', path: '/v1/nodes', handle: listNodes },
  { method: 'GET', path: '/v1/nodes/{name}', handle: getNode },
  { method: 'PUT', path: '/v1/nodes/{name}', handle: putNode },
  { method: 'DELETE', path: '/v1/nodes/{name}', handle: deleteNode },
  { method: 'POST', path: '/v1/nodes/{name}/drain', handle: drainNode },
  { method: 'GET', path: '/v1/nodes/{name}/pods', handle: listPodsOnNode },
  { method: 'GET', path: '/v1/events', handle: listEvents },
  { method: 'PUT', path: '/v1/nodes/{name}/heartbeat', handle: renewHeartbeat },
];
