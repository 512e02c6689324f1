import { setTimeout as sleep } from 'node:timers/promises';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { FieldError } from '../../../lib/manifest/field-error.js';
import { fromDaemonSet } from '../../../lib/manifest/from-daemon-set.js';
import { fromNode } from '../../../lib/manifest/from-node.js';
import { toDaemonSet } from '../../../lib/manifest/to-daemon-set.js';
import { toNode } from '../../../lib/manifest/to-node.js';
import type { IngestMessage } from '../../../lib/messages/ingest-message.js';
import { type DaemonSet, type JsonObject, type JsonValue, toDaemonSetKey } from '../../../lib/model/daemon-set.js';
import type { Node } from '../../../lib/model/node.js';
import { canonicalJson } from '../../../lib/revision/canonical-json.js';
import { storedDaemonSetBytes, storedNodeBytes } from '../../../lib/store/dynamo/item-size.js';
import type { RouteRequest } from '../api-deps.js';
import { assertStorableSize } from '../assert-storable-size.js';
import { causesFromFieldErrors, invalid } from '../invalid.js';
import { ApiError, jsonResponse } from '../responses.js';
import { applyPatch, parseBody, patchTypeOf, rawBody } from './apply-patch.js';
import { checkPreconditions, type DeleteOptions, deleteOptions } from './delete-options.js';
import { metaString, stableUid, withIdentity } from './kube-meta.js';
import { findObject, kubeNotFound, objectResponse } from './kube-read-routes.js';
import { isDryRun, queryParam } from './kube-request.js';
import { groupVersion, type KubeResource, qualifiedResource } from './kube-resources.js';
import { daemonSetObject, nodeObject } from './load-kube-objects.js';
import { serverSideApply } from './server-side-apply.js';

/** How long a write waits to read back what it wrote (the ingest queue and its handler are asynchronous). */
const READ_BACK_MS = 5000;
const READ_BACK_POLL_MS = 50;

type MessageObject = Extract<IngestMessage, { type: 'DaemonSetApplied' }>['manifest'];

/** The fields the server owns: a client's value for them is ignored, as the API server ignores it. */
const SERVER_METADATA = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
] as const;

/**
 * The object as a manifest: without the metadata the server sets, and with the status it has now (a status
 * is not changed through the main resource, as in Kubernetes; a new node brings its own).
 */
function toManifest(object: JsonObject, current: JsonObject | undefined): JsonObject {
  const metadata: Record<string, JsonValue> = { ...((object['metadata'] ?? {}) as JsonObject) };
  for (const field of SERVER_METADATA) delete metadata[field];
  const { status, ...rest } = object;
  const kept = current === undefined ? status : current['status'];
  return { ...rest, metadata, ...(kept === undefined ? {} : { status: kept }) };
}

/** `fieldValidation`: `Strict` refuses unknown fields (kubectl's default), `Warn` (the server default) warns, `Ignore` drops them. */
function fieldValidation(request: RouteRequest): 'Strict' | 'Warn' | 'Ignore' {
  const value = queryParam(request.event, 'fieldValidation') ?? 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  throw new ApiError(
    400,
    'BadRequest',
    `fieldValidation must be one of Ignore, Warn, Strict, not ${JSON.stringify(value)}`,
  );
}

/**
 * Validates as the API server decodes: unknown fields are a 400 `strict decoding error` under `Strict` and a
 * `Warning` header under `Warn`; anything else wrong is a 422 `Invalid` with a cause per field.
 */
function validate<T>(
  request: RouteRequest,
  resource: KubeResource,
  name: string,
  convert: (strict: boolean) => { ok: true; value: T } | { ok: false; errors: readonly FieldError[] },
): Readonly<{ value: T; warnings: string[] }> {
  const mode = fieldValidation(request);
  const strict = convert(true);
  const unknown = strict.ok ? [] : strict.errors.filter((error) => error.type === 'Unknown field');
  const result = unknown.length === 0 ? strict : convert(false);
  if (!result.ok) {
    const subject = { kind: resource.kind, ...(resource.group === '' ? {} : { group: resource.group }), name };
    throw invalid(subject, causesFromFieldErrors(result.errors));
  }
  const messages = unknown.map((error) => `unknown field ${JSON.stringify(error.field)}`);
  if (mode === 'Strict' && messages.length > 0) {
    throw new ApiError(
      400,
      'BadRequest',
      `${resource.kind} in version "${resource.version}" cannot be handled as a ${resource.kind}: strict decoding error: ${messages.join(', ')}`,
    );
  }
  return { value: result.value, warnings: mode === 'Warn' ? messages : [] };
}

function warningHeaders(warnings: readonly string[]): Record<string, string> {
  return warnings.length === 0 ? {} : { warning: warnings.map((text) => `299 - ${JSON.stringify(text)}`).join(', ') };
}

/** Kubernetes' 409 for a stale `metadata.resourceVersion`. */
function conflict(resource: KubeResource, name: string): ApiError {
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(resource)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, ...(resource.group === '' ? {} : { group: resource.group }), kind: resource.plural },
  );
}

async function currentOrUndefined(request: RouteRequest, resource: KubeResource): Promise<JsonObject | undefined> {
  try {
    return await findObject(request, resource);
  } catch (error) {
    if (error instanceof ApiError && error.code === 404) return undefined;
    throw error;
  }
}

type WriteKind = 'create' | 'update' | 'patch';

/** What the write path needs to know about a kind: how to validate, send and read back one. */
type KindWriter = Readonly<{
  /** Validates the manifest; returns what to send and how to recognise it once stored. */
  write(
    request: RouteRequest,
    resource: KubeResource,
    manifest: JsonObject,
    current: JsonObject | undefined,
    name: string,
  ): Promise<APIGatewayProxyStructuredResultV2>;
}>;

/** Reads until `check` finds the write stored, or gives up after READ_BACK_MS (the write is still accepted). */
async function readBack<T>(check: () => Promise<T | undefined>): Promise<T | undefined> {
  const deadline = Date.now() + READ_BACK_MS;
  for (;;) {
    const value = await check();
    if (value !== undefined || Date.now() > deadline) return value;
    await sleep(READ_BACK_POLL_MS);
  }
}

const sameDaemonSet = (a: DaemonSet, b: DaemonSet): boolean => {
  const strip = (daemonSet: DaemonSet) =>
    fromDaemonSet({ ...daemonSet, generation: 0, creationTimestamp: '', deletionTimestamp: '' } as DaemonSet);
  return canonicalJson(strip(a)) === canonicalJson(strip(b));
};

const DAEMON_SET_WRITER: KindWriter = {
  async write(request, resource, given, current, name) {
    // The controller owns a DaemonSet's status.
    const { status: _status, ...manifest } = given;
    const namespace = request.params['namespace'] ?? '';
    const { value: daemonSet, warnings } = validate(request, resource, name, (strict) =>
      toDaemonSet(manifest, { strict }),
    );
    if (daemonSet.apiVersion !== groupVersion(resource)) {
      throw new ApiError(
        400,
        'BadRequest',
        `the API version in the data (${daemonSet.apiVersion}) does not match the expected API version (${groupVersion(resource)})`,
      );
    }
    assertStorableSize({ kind: 'DaemonSet', group: resource.group, name }, storedDaemonSetBytes(daemonSet));
    const key = toDaemonSetKey(namespace, name);
    const previous = await request.deps.store.getDaemonSet(key);
    const status = current === undefined ? 201 : 200;
    if (!isDryRun(request.event)) {
      await request.deps.ingest.send([
        { type: 'DaemonSetApplied', manifest: manifest as MessageObject, observedAt: request.observedAt },
      ]);
      const stored = await readBack(async () => {
        const now = await request.deps.store.getDaemonSet(key);
        return now !== undefined &&
          now.daemonSet.deletionTimestamp === undefined &&
          sameDaemonSet(now.daemonSet, daemonSet)
          ? now
          : undefined;
      });
      if (stored !== undefined)
        return objectResponse(request, resource, daemonSetObject(stored), status, warningHeaders(warnings));
    }
    // Dry run, or not stored yet: the object as it will be.
    const generation =
      (previous?.daemonSet.generation ?? 0) +
      (previous !== undefined && sameDaemonSet(previous.daemonSet, daemonSet) ? 0 : 1);
    const creationTimestamp = previous?.daemonSet.creationTimestamp ?? request.observedAt;
    const expected = { ...daemonSet, generation, creationTimestamp };
    const uid = stableUid('DaemonSet', namespace, name, creationTimestamp);
    const object = withIdentity(fromDaemonSet(expected, previous?.status), uid);
    return objectResponse(request, resource, object, status, warningHeaders(warnings));
  },
};

const sameNode = (a: Node, b: Node): boolean => {
  const strip = ({ resourceVersion: _v, creationTimestamp: _c, ...rest }: Node) => fromNode(rest);
  return canonicalJson(strip(a)) === canonicalJson(strip(b));
};

const NODE_WRITER: KindWriter = {
  async write(request, resource, manifest, current, name) {
    const existing = await request.deps.store.getNode(name);
    const metadata = (manifest['metadata'] ?? {}) as JsonObject;
    const creationTimestamp = existing?.creationTimestamp ?? request.observedAt;
    const full = { ...manifest, metadata: { ...metadata, name, creationTimestamp } };
    const { value: node, warnings } = validate(request, resource, name, () => toNode(full));
    assertStorableSize({ kind: 'Node', name }, storedNodeBytes(node));
    const status = current === undefined ? 201 : 200;
    if (!isDryRun(request.event)) {
      const type = existing === undefined ? 'NodeJoined' : 'NodeUpdated';
      await request.deps.ingest.send([{ type, node: full as MessageObject, observedAt: request.observedAt }]);
      const stored = await readBack(async () => {
        const now = await request.deps.store.getNode(name);
        return now !== undefined && sameNode(now, node) ? now : undefined;
      });
      if (stored !== undefined)
        return objectResponse(request, resource, nodeObject(stored), status, warningHeaders(warnings));
    }
    return objectResponse(request, resource, nodeObject(node), status, warningHeaders(warnings));
  },
};

function writerOf(resource: KubeResource): KindWriter {
  if (resource.kind === 'DaemonSet') return DAEMON_SET_WRITER;
  if (resource.kind === 'Node') return NODE_WRITER;
  throw new ApiError(405, 'MethodNotAllowed', `${qualifiedResource(resource)} are read-only here`);
}

/** The body of a create or update: one object of this kind, named as the path names it. */
function bodyObject(request: RouteRequest, resource: KubeResource): JsonObject {
  const body = parseBody(rawBody(request.event), 'object');
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ApiError(400, 'BadRequest', 'the body must be one object');
  const object = body as JsonObject;
  const kind = object['kind'];
  if (kind !== undefined && kind !== resource.kind) {
    throw new ApiError(
      400,
      'BadRequest',
      `the kind in the data (${String(kind)}) does not match the expected kind (${resource.kind})`,
    );
  }
  return { ...object, apiVersion: object['apiVersion'] ?? groupVersion(resource), kind: resource.kind };
}

/** Fills in the namespace from the path and refuses a body that names another one. */
function inNamespace(request: RouteRequest, resource: KubeResource, object: JsonObject): JsonObject {
  if (!resource.namespaced) return object;
  const namespace = request.params['namespace'] ?? '';
  const given = metaString(object, 'namespace');
  if (given !== undefined && given !== '' && given !== namespace) {
    throw new ApiError(
      400,
      'BadRequest',
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  return { ...object, metadata: { ...((object['metadata'] ?? {}) as JsonObject), namespace } };
}

function write(kind: WriteKind, resource: KubeResource) {
  return async (request: RouteRequest) => {
    const writer = writerOf(resource);
    if (kind === 'create') {
      const object = inNamespace(request, resource, bodyObject(request, resource));
      const name = metaString(object, 'name') ?? '';
      if (
        name !== '' &&
        (await currentOrUndefined({ ...request, params: { ...request.params, name } }, resource)) !== undefined
      ) {
        throw new ApiError(409, 'AlreadyExists', `${qualifiedResource(resource)} "${name}" already exists`, {
          name,
          ...(resource.group === '' ? {} : { group: resource.group }),
          kind: resource.plural,
        });
      }
      return writer.write(
        { ...request, params: { ...request.params, name } },
        resource,
        toManifest(object, undefined),
        undefined,
        name,
      );
    }
    const name = request.params['name'] ?? '';
    const current = await currentOrUndefined(request, resource);
    let desired: JsonObject;
    if (kind === 'update') {
      if (current === undefined) throw kubeNotFound(resource, name);
      desired = inNamespace(request, resource, bodyObject(request, resource));
      const given = metaString(desired, 'name');
      if (given !== name)
        throw new ApiError(
          400,
          'BadRequest',
          `the name of the object (${given ?? ''}) does not match the name on the URL (${name})`,
        );
      const version = metaString(desired, 'resourceVersion');
      if (version !== undefined && version !== '' && version !== metaString(current, 'resourceVersion'))
        throw conflict(resource, name);
    } else {
      const type = patchTypeOf(request.event, resource.group === '' || resource.group === 'apps');
      const patch = parseBody(rawBody(request.event), type);
      if (type === 'apply') {
        desired = serverSideApply(request, resource, current, patch);
      } else {
        if (current === undefined) throw kubeNotFound(resource, name);
        desired = applyPatch(current, type, patch);
        const version = metaString(desired, 'resourceVersion');
        if (version !== undefined && version !== metaString(current, 'resourceVersion')) throw conflict(resource, name);
      }
      desired = inNamespace(request, resource, {
        ...desired,
        metadata: { ...((desired['metadata'] ?? {}) as JsonObject), name },
      });
    }
    return writer.write(request, resource, toManifest(desired, current), current, name);
  };
}

export const createRoute = (resource: KubeResource) => write('create', resource);
export const updateRoute = (resource: KubeResource) => write('update', resource);
export const patchRoute = (resource: KubeResource) => write('patch', resource);

/**
 * DELETE: the removal becomes a fact, after the `DeleteOptions` preconditions are checked. A DaemonSet or node
 * answers the `Status` kubectl prints as `daemonset.apps "x" deleted`; a pod answers itself, terminating, as the
 * API server answers a graceful deletion (see `deletePod`).
 */
export function deleteRoute(resource: KubeResource) {
  return async (request: RouteRequest) => {
    const current = await findObject(request, resource);
    const options = deleteOptions(request);
    checkPreconditions(resource, current, options);
    if (resource.kind === 'Pod') return deletePod(request, resource, current, options);
    const name = request.params['name'] ?? '';
    if (resource.kind !== 'Node' && resource.kind !== 'DaemonSet')
      throw new ApiError(405, 'MethodNotAllowed', `${qualifiedResource(resource)} cannot be deleted here`);
    if (!options.dryRun) {
      const message: IngestMessage =
        resource.kind === 'Node'
          ? { type: 'NodeRemoved', name, observedAt: request.observedAt }
          : {
              type: 'DaemonSetDeleted',
              namespace: request.params['namespace'] ?? '',
              name,
              observedAt: request.observedAt,
            };
      await request.deps.ingest.send([message]);
    }
    return jsonResponse(200, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: {
        name,
        ...(resource.group === '' ? {} : { group: resource.group }),
        kind: resource.plural,
        uid: metaString(current, 'uid') ?? '',
      },
    });
  };
}

/**
 * `kubectl delete pod`: a `PodDeleted` fact naming the pod by name and creation time. Its agent stops it and
 * reports it gone, and the DaemonSet creates a replacement (with a new name); `gracePeriodSeconds=0` removes it
 * at once. The answer is the pod as stored once the fact landed: terminating, with its `deletionTimestamp`.
 */
async function deletePod(
  request: RouteRequest,
  resource: KubeResource,
  current: JsonObject,
  options: DeleteOptions,
): Promise<APIGatewayProxyStructuredResultV2> {
  const metadata = current['metadata'] as JsonObject;
  const owner = ((metadata['ownerReferences'] ?? []) as JsonObject[]).find((reference) => reference['controller']);
  const namespace = metaString(current, 'namespace') ?? '';
  const podName = metaString(current, 'name') ?? '';
  const daemonSet = typeof owner?.['name'] === 'string' ? owner['name'] : '';
  const key = toDaemonSetKey(namespace, daemonSet);
  const findStored = async () =>
    (await request.deps.store.listPods(key)).find((candidate) => candidate.name === podName);
  // The node a pod is bound to is known before its agent reports (and its spec.nodeName shows): read it here.
  const stored = await findStored();
  if (stored === undefined) throw kubeNotFound(resource, podName);
  const { nodeName, creationTimestamp } = stored;
  const deleted: JsonObject = {
    ...current,
    metadata: {
      ...metadata,
      deletionTimestamp: metaString(current, 'deletionTimestamp') ?? request.observedAt,
      ...(options.gracePeriodSeconds === undefined ? {} : { deletionGracePeriodSeconds: options.gracePeriodSeconds }),
    },
  };
  if (options.dryRun) return objectResponse(request, resource, deleted);
  await request.deps.ingest.send([
    {
      type: 'PodDeleted',
      namespace,
      daemonSet,
      podName,
      nodeName,
      creationTimestamp,
      ...(options.gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds: options.gracePeriodSeconds }),
      observedAt: request.observedAt,
    },
  ]);
  const landed = await readBack(async () => {
    const pod = await findStored();
    if (pod === undefined || pod.creationTimestamp !== creationTimestamp) return 'gone';
    return pod.deletionTimestamp === undefined ? undefined : 'terminating';
  });
  if (landed !== 'terminating') return objectResponse(request, resource, deleted);
  return objectResponse(request, resource, (await currentOrUndefined(request, resource)) ?? deleted);
}
