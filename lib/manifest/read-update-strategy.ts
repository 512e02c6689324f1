import type { JsonObject, UpdateStrategy } from '../model/daemon-set.js';
import { type FieldError, invalidValue, requiredValue, unsupportedValue } from './field-error.js';
import { isNonZeroIntOrPercent, readIntOrPercent } from './read-int-or-percent.js';
import { readObject, readString } from './read-json.js';
import { isKruiseApiVersion, KRUISE_V1ALPHA1 } from './read-type-meta.js';

const PATH = 'spec.updateStrategy';
const ROLLING_PATH = `${PATH}.rollingUpdate`;

export type ReadUpdateStrategy = Readonly<{
  /** Undefined when the strategy is invalid. */
  strategy?: UpdateStrategy;
  /** `spec.updateStrategy.rollingUpdate` as given (empty when absent), for the OpenKruise fields. */
  rollingUpdate: JsonObject;
}>;

/**
 * Reads `spec.updateStrategy` with the defaults of the manifest's API and validates it as Kubernetes
 * `ValidateDaemonSetUpdateStrategy` (or OpenKruise's webhook) does.
 *
 * - apps/v1: type RollingUpdate, maxUnavailable 1, maxSurge 0, each defaulted on its own, so `maxSurge: 1`
 *   alone is invalid (both non-zero), exactly as on a real cluster.
 * - OpenKruise: maxUnavailable 1 and maxSurge 0 only when both are absent, otherwise the absent one is 0.
 *   v1alpha1 `rollingUpdateType: Surging` defaults maxSurge 1 and maxUnavailable 0 and is otherwise
 *   `Standard`. `InPlaceIfPossible` is accepted and treated as `Standard`: everynode always replaces pods
 *   (in-place update is not supported).
 */
export function readUpdateStrategy(value: unknown, apiVersion: string, errors: FieldError[]): ReadUpdateStrategy {
  const strategy = readObject(value, PATH, errors) ?? {};
  const type = readString(strategy['type'], `${PATH}.type`, errors) || 'RollingUpdate';
  const rollingUpdate = readObject(strategy['rollingUpdate'], ROLLING_PATH, errors) ?? {};
  if (type === 'OnDelete') return { strategy: { type: 'OnDelete' }, rollingUpdate };
  if (type !== 'RollingUpdate') {
    errors.push(unsupportedValue(PATH, type, ['RollingUpdate', 'OnDelete']));
    return { rollingUpdate };
  }
  const kruise = isKruiseApiVersion(apiVersion);
  const rollingUpdateType = kruise ? readRollingUpdateType(rollingUpdate, apiVersion, errors) : 'Standard';
  const limits = defaultedLimits(rollingUpdate, kruise, rollingUpdateType);
  const before = errors.length;
  const maxUnavailable = readIntOrPercent(limits.maxUnavailable, `${ROLLING_PATH}.maxUnavailable`, errors);
  const maxSurge = readIntOrPercent(limits.maxSurge, `${ROLLING_PATH}.maxSurge`, errors);
  const hasUnavailable = isNonZeroIntOrPercent(limits.maxUnavailable);
  const hasSurge = isNonZeroIntOrPercent(limits.maxSurge);
  if (hasUnavailable && hasSurge) {
    errors.push(
      invalidValue(`${ROLLING_PATH}.maxSurge`, limits.maxSurge, 'may not be set when maxUnavailable is non-zero'),
    );
  } else if (!hasUnavailable && !hasSurge) {
    errors.push(requiredValue(`${ROLLING_PATH}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
  }
  if (rollingUpdateType === 'InPlaceIfPossible' && hasSurge) {
    errors.push(requiredValue(`${ROLLING_PATH}.maxSurge`, 'must be 0 for InPlaceIfPossible type'));
  }
  if (rollingUpdateType === 'Surging' && hasUnavailable) {
    errors.push(requiredValue(`${ROLLING_PATH}.maxUnavailable`, 'must be 0 for Surging type'));
  }
  if (errors.length > before || maxUnavailable === undefined || maxSurge === undefined) return { rollingUpdate };
  return { strategy: { type: 'RollingUpdate', maxUnavailable, maxSurge }, rollingUpdate };
}

function readRollingUpdateType(rollingUpdate: JsonObject, apiVersion: string, errors: FieldError[]): string {
  const path = `${ROLLING_PATH}.rollingUpdateType`;
  const type = readString(rollingUpdate['rollingUpdateType'], path, errors) || 'Standard';
  const supported =
    apiVersion === KRUISE_V1ALPHA1 ? ['Standard', 'Surging', 'InPlaceIfPossible'] : ['Standard', 'InPlaceIfPossible'];
  if (!supported.includes(type)) errors.push(unsupportedValue(path, type, supported));
  return type;
}

type Limits = Readonly<{ maxUnavailable: unknown; maxSurge: unknown }>;

function defaultedLimits(rollingUpdate: JsonObject, kruise: boolean, rollingUpdateType: string): Limits {
  const maxUnavailable = rollingUpdate['maxUnavailable'] ?? undefined;
  const maxSurge = rollingUpdate['maxSurge'] ?? undefined;
  if (!kruise) return { maxUnavailable: maxUnavailable ?? 1, maxSurge: maxSurge ?? 0 };
  if (rollingUpdateType === 'Surging') return { maxUnavailable: maxUnavailable ?? 0, maxSurge: maxSurge ?? 1 };
  if (maxUnavailable === undefined && maxSurge === undefined) return { maxUnavailable: 1, maxSurge: 0 };
  return { maxUnavailable: maxUnavailable ?? 0, maxSurge: maxSurge ?? 0 };
}
