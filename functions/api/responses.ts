import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** A Kubernetes `StatusCause`: one reason a request was refused, at a field path when it has one. */
export type StatusCause = Readonly<{ reason?: string; field?: string; message: string }>;

/** The `details` of a Kubernetes `Status`: which object the status is about. */
export type StatusDetails = Readonly<{
  name?: string;
  group?: string;
  kind?: string;
  causes?: readonly StatusCause[];
}>;

/** Kubernetes `StatusReason` values this API answers with. */
export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'Invalid'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'InternalError'
  | 'Accepted'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Expired'
  | 'NotAcceptable';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } as const;

/** A JSON response. */
export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/**
 * A Kubernetes `Status` response, as the API server answers errors and accepted deletions:
 * `{kind: 'Status', apiVersion: 'v1', status, message, reason, details, code}`.
 */
export function statusResponse(
  code: number,
  reason: StatusReason,
  message: string,
  details?: StatusDetails,
  headers: Readonly<Record<string, string>> = {},
): APIGatewayProxyStructuredResultV2 {
  return jsonResponse(
    code,
    {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: code < 400 ? 'Success' : 'Failure',
      message,
      reason,
      ...(details === undefined ? {} : { details }),
      code,
    },
    headers,
  );
}

/** A refusal raised anywhere below a route and turned into its `Status` response by the handler. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: number;
  readonly reason: StatusReason;
  readonly details: StatusDetails | undefined;

  constructor(code: number, reason: StatusReason, message: string, details?: StatusDetails) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toResponse(): APIGatewayProxyStructuredResultV2 {
    return statusResponse(this.code, this.reason, this.message, this.details);
  }
}

/** `daemonsets.apps "fluentd" not found`, as kubectl prints it. */
export function notFound(resource: Readonly<{ group?: string; kind: string }>, name: string): ApiError {
  const qualified = resource.group === undefined ? resource.kind : `${resource.kind}.${resource.group}`;
  return new ApiError(404, 'NotFound', `${qualified} "${name}" not found`, { name, ...resource });
}

/** 202: the fact is on the ingest queue; the controller acts on it within moments. */
export function acceptedResponse(message: string, details: StatusDetails): APIGatewayProxyStructuredResultV2 {
  return statusResponse(202, 'Accepted', message, details);
}
