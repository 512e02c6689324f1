import { labelValueErrors, qualifiedNameErrors } from '../labels/label-syntax.js';
import { type FieldError, invalidValue } from './field-error.js';

/**
 * Kubernetes `ValidateLabels`: every key a qualified name, every value a label value, errors reported at
 * the map's own path (as the API server does) with the offending key or value.
 */
export function validateLabels(labels: Readonly<Record<string, string>>, path: string, errors: FieldError[]): void {
  for (const [key, value] of Object.entries(labels)) {
    validateLabelKey(key, path, errors);
    for (const message of labelValueErrors(value)) errors.push(invalidValue(path, value, message));
  }
}

/** Kubernetes `ValidateLabelName`: a label, taint or toleration key must be a qualified name. */
export function validateLabelKey(key: string, path: string, errors: FieldError[]): void {
  for (const message of qualifiedNameErrors(key)) errors.push(invalidValue(path, key, message));
}
