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
