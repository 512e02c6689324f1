import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { jsonResponse, statusResponse } from '../functions/api/responses.js';
import { MAX_WAIT_SECONDS, type NodeChangeFeed } from './node-change-feed.js';

const PATH = /^\/v1\/nodes\/([^/]+)\/pods\/changes$/;

/**
 * `GET /v1/nodes/<name>/pods/changes?after=<token>&timeoutSeconds=<n>` on the local control plane: answers
 * `{"token"}` as soon as the node's pods change after `after` (at once without `after`, or when it is another run's
 * token), or after `timeoutSeconds` (default and most: 25) with the token unchanged. Undefined for any other request.
 */
export async function answerNodeChanges(
  event: APIGatewayProxyEventV2,
  feed: NodeChangeFeed,
  signal: AbortSignal,
): Promise<APIGatewayProxyStructuredResultV2 | undefined> {
  const match = PATH.exec(event.rawPath);
  if (match === null) return undefined;
  if (event.requestContext.http.method !== 'GET') {
    return statusResponse(
      405,
      'MethodNotAllowed',
      `the method ${event.requestContext.http.method} is not allowed: use GET`,
    );
  }
  const nodeName = decodeURIComponent(match[1] ?? '');
  const query = new URLSearchParams(event.rawQueryString);
  const timeout = query.get('timeoutSeconds') ?? String(MAX_WAIT_SECONDS);
  const seconds = /^\d+$/.test(timeout) ? Number(timeout) : Number.NaN;
  if (!(seconds <= MAX_WAIT_SECONDS)) {
    return statusResponse(
      400,
      'BadRequest',
      `timeoutSeconds: Invalid value: ${JSON.stringify(timeout)}: must be a whole number of seconds from 0 to ${MAX_WAIT_SECONDS}`,
    );
  }
  const token = await feed.wait(nodeName, query.get('after') ?? undefined, seconds * 1000, signal);
  return jsonResponse(200, { token });
}
