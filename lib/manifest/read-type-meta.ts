import { type FieldError, requiredValue, unsupportedValue } from './field-error.js';
import { readString } from './read-json.js';

/**
 * Checks `apiVersion` and `kind` against the ones a converter accepts and returns the apiVersion
 * (undefined when it is missing or not accepted).
 */
export function readTypeMeta(
  object: Readonly<Record<string, unknown>>,
  kind: string,
  apiVersions: readonly string[],
  errors: FieldError[],
): string | undefined {
  const apiVersion = readString(object['apiVersion'], 'apiVersion', errors) ?? '';
  const actualKind = readString(object['kind'], 'kind', errors) ?? '';
  if (apiVersion === '') errors.push(requiredValue('apiVersion'));
  else if (!apiVersions.includes(apiVersion)) errors.push(unsupportedValue('apiVersion', apiVersion, apiVersions));
  if (actualKind === '') errors.push(requiredValue('kind'));
  else if (actualKind !== kind) errors.push(unsupportedValue('kind', actualKind, [kind]));
  return apiVersions.includes(apiVersion) ? apiVersion : undefined;
}

/** The Kubernetes DaemonSet API. */
export const APPS_V1 = 'apps/v1';
/** OpenKruise Advanced DaemonSet, first version (`rollingUpdateType: Surging` lives here). */
export const KRUISE_V1ALPHA1 = 'apps.kruise.io/v1alpha1';
/** OpenKruise Advanced DaemonSet, current version (`partition` is an IntOrString). */
export const KRUISE_V1BETA1 = 'apps.kruise.io/v1beta1';

/** Every apiVersion `toDaemonSet` accepts for `kind: DaemonSet`. */
export const DAEMON_SET_API_VERSIONS: readonly string[] = [APPS_V1, KRUISE_V1ALPHA1, KRUISE_V1BETA1];

/** Whether the manifest is an OpenKruise Advanced DaemonSet, with its own defaults and rollout fields. */
export function isKruiseApiVersion(apiVersion: string): boolean {
  return apiVersion === KRUISE_V1ALPHA1 || apiVersion === KRUISE_V1BETA1;
}
