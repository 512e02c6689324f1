import { MAX_GRACE_PERIOD_SECONDS } from '../../../lib/messages/ingest-message.js';
import type { JsonObject } from '../../../lib/model/daemon-set.js';
import type { RouteRequest } from '../api-deps.js';
import { ApiError } from '../responses.js';
import { parseBody, rawBody } from './apply-patch.js';
import { metaString } from './kube-meta.js';
import { queryParam } from './kube-request.js';
import { type KubeResource, qualifiedResource } from './kube-resources.js';

/** A DELETE's `DeleteOptions`, from its body and its query (the query wins, as the API server reads both). */
export type DeleteOptions = Readonly<{
  gracePeriodSeconds?: number;
  preconditions: Readonly<{ uid?: string; resourceVersion?: string }>;
  dryRun: boolean;
}>;

const PROPAGATION_POLICIES = ['Orphan', 'Background', 'Foreground'];

/**
 * Reads `DeleteOptions` as kubectl and client libraries send them: `gracePeriodSeconds`, `preconditions`
 * (`uid`, `resourceVersion`), `propagationPolicy` and `dryRun`, in a JSON body (`kind: DeleteOptions`) or in the
 * query. A body is optional.
 *
 * @throws ApiError 400 for a body that is not DeleteOptions, 422 for a value out of range.
 */
export function deleteOptions(request: RouteRequest): DeleteOptions {
  const text = rawBody(request.event);
  const body = text.trim() === '' ? {} : parseBody(text, 'object');
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ApiError(400, 'BadRequest', 'the body of a DELETE must be a DeleteOptions object');
  const options = body as JsonObject;
  const kind = options['kind'];
  if (kind !== undefined && kind !== 'DeleteOptions')
    throw new ApiError(400, 'BadRequest', `the body of a DELETE must be DeleteOptions, not ${JSON.stringify(kind)}`);
  const grace = gracePeriod(queryParam(request.event, 'gracePeriodSeconds') ?? options['gracePeriodSeconds']);
  const policy = queryParam(request.event, 'propagationPolicy') ?? options['propagationPolicy'];
  if (policy !== undefined && policy !== null && !PROPAGATION_POLICIES.includes(String(policy))) {
    throw invalidOption(
      'propagationPolicy',
      `Unsupported value: ${JSON.stringify(policy)}: supported values: "Foreground", "Background", "Orphan"`,
    );
  }
  const given = options['preconditions'];
  const preconditions: JsonObject =
    typeof given === 'object' && given !== null && !Array.isArray(given) ? (given as JsonObject) : {};
  const uid = preconditions['uid'];
  const resourceVersion = preconditions['resourceVersion'];
  const dryRunBody = options['dryRun'];
  const dryRun =
    (queryParam(request.event, 'dryRun') ?? '') !== '' || (Array.isArray(dryRunBody) && dryRunBody.length > 0);
  return {
    ...(grace === undefined ? {} : { gracePeriodSeconds: grace }),
    preconditions: {
      ...(typeof uid === 'string' && uid !== '' ? { uid } : {}),
      ...(typeof resourceVersion === 'string' && resourceVersion !== '' ? { resourceVersion } : {}),
    },
    dryRun,
  };
}

function gracePeriod(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_GRACE_PERIOD_SECONDS) {
    throw invalidOption(
      'gracePeriodSeconds',
      `Invalid value: ${JSON.stringify(value)}: must be a whole number of seconds from 0 to ${MAX_GRACE_PERIOD_SECONDS}`,
    );
  }
  return seconds;
}

function invalidOption(field: string, message: string): ApiError {
  return new ApiError(422, 'Invalid', `DeleteOptions is invalid: ${field}: ${message}`, {
    kind: 'DeleteOptions',
    causes: [{ reason: 'FieldValueInvalid', field, message }],
  });
}

/**
 * Kubernetes' 409 when a deletion's preconditions do not hold: `Precondition failed: UID in precondition: ...,
 * UID in object meta: ...`.
 */
export function checkPreconditions(resource: KubeResource, current: JsonObject, options: DeleteOptions): void {
  const name = metaString(current, 'name') ?? '';
  const fail = (what: string, wanted: string, actual: string) =>
    new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedResource(resource)} "${name}": Precondition failed: ${what} in precondition: ${wanted}, ${what} in object meta: ${actual}`,
      { name, ...(resource.group === '' ? {} : { group: resource.group }), kind: resource.plural },
    );
  const { uid, resourceVersion } = options.preconditions;
  const actualUid = metaString(current, 'uid') ?? '';
  if (uid !== undefined && uid !== actualUid) throw fail('UID', uid, actualUid);
  const actualVersion = metaString(current, 'resourceVersion') ?? '';
  if (resourceVersion !== undefined && resourceVersion !== actualVersion)
    throw fail('ResourceVersion', resourceVersion, actualVersion);
}
