import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { findTooDeep } from '../../lib/messages/find-too-deep.js';
import { ApiError } from './responses.js';

/**
 * Largest request body accepted. Every write becomes one ingest-queue message, and SQS takes at most
 * 256 KiB per message, so the body plus its envelope must stay below that.
 */
export const MAX_REQUEST_BODY_BYTES = 240 * 1024;

/**
 * The request body parsed as one JSON object.
 *
 * @throws ApiError 413 when it is larger than `maxBytes`, 415 when it is declared as something other
 *   than JSON, 400 when it is missing, not JSON, not an object, or nested deeper than `MAX_JSON_DEPTH`.
 */
export function readJsonBody(
  event: APIGatewayProxyEventV2,
  maxBytes: number = MAX_REQUEST_BODY_BYTES,
): Record<string, unknown> {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) {
    throw new ApiError(
      413,
      'RequestEntityTooLarge',
      `the request body is ${bytes} bytes, more than the ${maxBytes} bytes allowed`,
    );
  }
  const contentType = headerValue(event, 'content-type');
  if (contentType !== undefined && !/^application\/([\w.+-]*\+)?json\b/i.test(contentType)) {
    throw new ApiError(415, 'UnsupportedMediaType', `the body must be application/json, not ${contentType}`);
  }
  if (text.trim() === '') throw new ApiError(400, 'BadRequest', 'the request needs a JSON body');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, 'BadRequest', `the body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiError(400, 'BadRequest', 'the body must be one JSON object');
  }
  const tooDeep = findTooDeep(value);
  if (tooDeep !== undefined) {
    throw new ApiError(
      400,
      'BadRequest',
      `the body is nested more than ${tooDeep.limit} levels deep (the limit is ${tooDeep.limit}) at ${tooDeep.path}`,
    );
  }
  return value as Record<string, unknown>;
}

/** A header value; payload format 2.0 lowercases names, but a hand-made event may not. */
export function headerValue(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const headers = event.headers ?? {};
  const direct = headers[name];
  if (direct !== undefined) return direct;
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}
