import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { parseAllDocuments } from 'yaml';
import type { JsonObject, JsonValue } from '../../../lib/model/daemon-set.js';
import { headerValue, MAX_REQUEST_BODY_BYTES } from '../read-json-body.js';
import { ApiError } from '../responses.js';
import { JsonPatchError, jsonPatch } from './patch/json-patch.js';
import { mergePatch } from './patch/merge-patch.js';
import { StrategicMergePatchError, strategicMergePatch } from './patch/strategic-merge-patch.js';

/** The patch types the API server accepts, by Content-Type. */
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const PATCH_TYPES: Readonly<Record<string, PatchType>> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/** The patch type a PATCH request declares. @throws ApiError 415 for anything else. */
export function patchTypeOf(event: APIGatewayProxyEventV2, strategicAllowed: boolean): PatchType {
  const contentType = (headerValue(event, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const type = PATCH_TYPES[contentType];
  if (type === undefined || (type === 'strategic' && !strategicAllowed)) {
    const accepted = Object.keys(PATCH_TYPES).filter((name) => strategicAllowed || PATCH_TYPES[name] !== 'strategic');
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    );
  }
  return type;
}

/** The request body as text, within the size the ingest queue can carry. */
export function rawBody(event: APIGatewayProxyEventV2): string {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_REQUEST_BODY_BYTES) {
    throw new ApiError(
      413,
      'RequestEntityTooLarge',
      `the request body is ${bytes} bytes, more than the ${MAX_REQUEST_BODY_BYTES} bytes allowed`,
    );
  }
  return text;
}

/**
 * The body parsed as JSON. A server-side apply body (`application/apply-patch+yaml`) may also be YAML, as
 * `curl --data-binary @ds.yaml` sends it (kubectl and client libraries send its JSON form): one document, in the
 * YAML 1.2 core schema (so `on` stays a string and timestamps stay strings, as JSON gives them), with aliases
 * limited against expansion bombs.
 *
 * @throws ApiError 400 when it does not parse.
 */
export function parseBody(text: string, type: PatchType | 'object'): JsonValue {
  if (text.trim() === '') throw new ApiError(400, 'BadRequest', 'the request needs a body');
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    if (type === 'apply') return parseYamlBody(text);
    throw new ApiError(400, 'BadRequest', `the body does not parse: ${(error as Error).message}`);
  }
}

function parseYamlBody(text: string): JsonValue {
  const documents = parseAllDocuments(text, { schema: 'core', uniqueKeys: true });
  if (!Array.isArray(documents) || documents.length !== 1) {
    throw new ApiError(400, 'BadRequest', 'the body does not parse: an apply patch is one YAML document');
  }
  const [document] = documents;
  const error = document?.errors[0];
  if (document === undefined || error !== undefined) {
    throw new ApiError(400, 'BadRequest', `the body does not parse as YAML: ${error?.message ?? 'empty'}`);
  }
  try {
    return document.toJS({ maxAliasCount: 100 }) as JsonValue;
  } catch (cause) {
    throw new ApiError(400, 'BadRequest', `the body does not parse as YAML: ${(cause as Error).message}`);
  }
}

/**
 * Applies a JSON, merge or strategic merge patch to the current object.
 *
 * @throws ApiError 422 for a JSON patch that does not apply, 400 for a bad strategic merge patch directive.
 */
export function applyPatch(current: JsonObject, type: Exclude<PatchType, 'apply'>, patch: JsonValue): JsonObject {
  let result: JsonValue | undefined;
  try {
    if (type === 'json') result = jsonPatch(current, patch);
    else if (type === 'merge') result = mergePatch(current, patch);
    else result = strategicMergePatch(current, patch);
  } catch (error) {
    // As the API server answers: a JSON patch that does not apply (a failed `test` included) is a 422, a
    // strategic merge patch with a bad directive a 400.
    if (error instanceof JsonPatchError) throw new ApiError(422, 'Invalid', error.message);
    if (error instanceof StrategicMergePatchError) throw new ApiError(400, 'BadRequest', error.message);
    throw error;
  }
  if (typeof result !== 'object' || result === null || Array.isArray(result)) {
    throw new ApiError(422, 'Invalid', 'the patched object is not an object');
  }
  return result as JsonObject;
}
