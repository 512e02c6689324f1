import type { IntOrPercent } from '../model/daemon-set.js';
import { type FieldError, invalidValue } from './field-error.js';

const PERCENT = /^[0-9]+%$/;
const PERCENT_MESSAGE =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/**
 * Reads an IntOrString limit (`maxUnavailable`, `maxSurge`, a Kruise `partition`) as Kubernetes'
 * `ValidatePositiveIntOrPercent` and `IsNotMoreThan100Percent` do: an integer >= 0 or `N%` with N <= 100.
 * Returns undefined when absent or invalid (the error is recorded).
 */
export function readIntOrPercent(value: unknown, path: string, errors: FieldError[]): IntOrPercent | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    if (value >= 0) return value;
    errors.push(invalidValue(path, value, 'must be greater than or equal to 0'));
    return undefined;
  }
  if (typeof value === 'string') {
    if (!PERCENT.test(value)) {
      errors.push(invalidValue(path, value, PERCENT_MESSAGE));
      return undefined;
    }
    const percent = Number.parseInt(value, 10);
    if (percent <= 100) return { percent };
    errors.push(invalidValue(path, value, 'must not be greater than 100%'));
    return undefined;
  }
  errors.push(invalidValue(path, value, "must be an integer or percentage (e.g '5%')"));
  return undefined;
}

/** Kubernetes' `getIntOrPercentValue(v) != 0`, also for values that fail validation. */
export function isNonZeroIntOrPercent(value: unknown): boolean {
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') {
    const parsed = Number.parseInt(value, 10);
    return !Number.isNaN(parsed) && parsed !== 0;
  }
  return false;
}
