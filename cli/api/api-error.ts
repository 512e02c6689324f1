import { CliError, EXIT_CODES } from '../cli-error.js';
import type { Endpoint } from './resolve-endpoint.js';

/**
 * Turns a non-2xx answer into what kubectl would print: `Error from server (NotFound): ...` (exit 1), or,
 * for a manifest the server found invalid (422 with field causes), one `<field>: <message>` line per
 * cause (exit 2, as `everynode validate` does).
 */
export function toApiError(status: number, body: unknown, endpoint: Endpoint): CliError {
  const record = asRecord(body);
  const message = typeof record?.['message'] === 'string' ? record['message'] : undefined;
  const reason = typeof record?.['reason'] === 'string' ? record['reason'] : reasonFor(status);
  const causes = causesOf(record);
  if (status === 422 && causes.length > 0) {
    return new CliError(message ?? 'invalid', EXIT_CODES.invalidInput, {
      lines: causes.map((cause) => `${cause.field}: ${cause.message}`),
    });
  }
  const text = message ?? (typeof body === 'string' && body !== '' ? body : `HTTP ${status}`);
  const hint =
    (status === 401 || status === 403) && endpoint.local
      ? ` (the token in ${endpoint.stateFile ?? '.everynode/local.json'} does not match the running server: a control plane started with --state-dir <dir> keeps its token in <dir>/local.json; run the CLI with EVERYNODE_STATE_DIR=<dir>)`
      : '';
  return new CliError(`Error from server (${reason}): ${text}${hint}`, EXIT_CODES.failure);
}

type Cause = Readonly<{ field: string; message: string }>;

function causesOf(record: Record<string, unknown> | undefined): readonly Cause[] {
  const causes = asRecord(record?.['details'])?.['causes'];
  if (!Array.isArray(causes)) return [];
  return causes.flatMap((cause: unknown) => {
    const entry = asRecord(cause);
    const field = entry?.['field'];
    const text = entry?.['message'];
    return typeof text === 'string' ? [{ field: typeof field === 'string' ? field : '<unknown>', message: text }] : [];
  });
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

const REASONS: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  413: 'RequestEntityTooLarge',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

function reasonFor(status: number): string {
  return REASONS[status] ?? (status >= 500 ? 'InternalError' : 'Unknown');
}
