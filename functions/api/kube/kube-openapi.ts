import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { JsonObject } from '../../../lib/model/daemon-set.js';
import { contentVersion } from './kube-meta.js';
import { groupVersion, KUBE_RESOURCES, type KubeResource } from './kube-resources.js';
import { SCHEMAS } from './openapi-schemas.js';

/** The OpenAPI v3 path of a group version: `api/v1`, `apis/apps/v1`. */
const specPath = (gv: string): string => (gv === 'v1' ? 'api/v1' : `apis/${gv}`);

const servedGroupVersions = (): string[] => [...new Set(KUBE_RESOURCES.map(groupVersion))];

const QUERY = (name: string, description: string): JsonObject => ({
  name,
  in: 'query',
  description,
  schema: { type: 'string' },
  style: 'form',
});

const WRITE_PARAMETERS: readonly JsonObject[] = [
  QUERY('dryRun', 'When present, indicates that modifications should not be persisted. Valid value: All.'),
  QUERY('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  QUERY(
    'fieldValidation',
    'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn (the default), Strict.',
  ),
];

function gvkExtension(resource: KubeResource): JsonObject {
  return {
    'x-kubernetes-group-version-kind': { group: resource.group, version: resource.version, kind: resource.kind },
  };
}

function schemaRef(resource: KubeResource): JsonObject {
  const name = schemaName(resource);
  return SCHEMAS[name] === undefined ? { type: 'object' } : { $ref: `#/components/schemas/${name}` };
}

function schemaName(resource: KubeResource): string {
  const group = resource.group === '' ? 'core' : resource.group;
  return group === 'apps' || group === 'core'
    ? `io.k8s.api.${group}.${resource.version}.${resource.kind}`
    : `io.kruise.apps.${resource.version}.${resource.kind}`;
}

/** The paths of one resource. The PATCH operation names `fieldValidation`, so kubectl validates on the server. */
function resourcePaths(resource: KubeResource): Record<string, JsonObject> {
  const prefix = resource.group === '' ? '/api/v1' : `/apis/${groupVersion(resource)}`;
  const collection = resource.namespaced
    ? `${prefix}/namespaces/{namespace}/${resource.plural}`
    : `${prefix}/${resource.plural}`;
  const ok = { '200': { description: 'OK', content: { 'application/json': { schema: schemaRef(resource) } } } };
  const operation = (action: string, extra: JsonObject = {}): JsonObject => ({
    ...gvkExtension(resource),
    'x-kubernetes-action': action,
    responses: ok,
    ...extra,
  });
  const can = (verb: string) => resource.verbs.includes(verb);
  const item: Record<string, JsonObject> = { get: operation('get') };
  if (can('update')) item['put'] = operation('put', { parameters: WRITE_PARAMETERS });
  if (can('patch'))
    item['patch'] = operation('patch', {
      parameters: [...WRITE_PARAMETERS, QUERY('force', 'Force is going to "force" Apply requests.')],
    });
  if (can('delete')) item['delete'] = operation('delete');
  const list: Record<string, JsonObject> = { get: operation('list') };
  if (can('create')) list['post'] = operation('post', { parameters: WRITE_PARAMETERS });
  return { [collection]: list, [`${collection}/{name}`]: item };
}

/** `GET /openapi/v3`: where each group version's document is. */
export function openApiRoot(): JsonObject {
  return {
    paths: Object.fromEntries(
      servedGroupVersions().map((gv) => {
        const path = specPath(gv);
        return [path, { serverRelativeURL: `/openapi/v3/${path}?hash=${contentVersion(openApiDocument(gv) ?? {})}` }];
      }),
    ),
  };
}

/** `GET /openapi/v3/apis/apps/v1` (or `api/v1`): the served paths and the schemas `kubectl explain` reads. */
export function openApiDocument(gv: string): JsonObject | undefined {
  const resources = KUBE_RESOURCES.filter((resource) => groupVersion(resource) === gv);
  if (resources.length === 0) return undefined;
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0-everynode' },
    paths: Object.assign({}, ...resources.map(resourcePaths)),
    components: { schemas: SCHEMAS },
  };
}

/**
 * `GET /openapi/v2`: the OpenAPI v2 document in the protobuf form kubectl asks for (gnostic's `Document`),
 * holding only `swagger: "2.0"` and no definitions. kubectl before 1.27 (Debian 12 ships 1.20), and any
 * kubectl validating a `kind: List` on the client, then finds no schema for a kind and skips client-side
 * validation, as it does for any kind its server does not describe; the server validates every object anyway.
 */
export function openApiV2Response(): APIGatewayProxyStructuredResultV2 {
  // Field 1 (swagger), wire type 2 (length-delimited): 0x0a, length 3, "2.0".
  const document = Buffer.from([0x0a, 0x03, 0x32, 0x2e, 0x30]);
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/octet-stream', 'cache-control': 'no-store' },
    body: document.toString('base64'),
    isBase64Encoded: true,
  };
}
