import { labelValueErrors } from '../labels/label-syntax.js';
import type { LabelSelector, LabelSelectorOperator, LabelSelectorRequirement } from '../model/daemon-set.js';
import { type FieldError, forbiddenValue, invalidValue, requiredValue } from './field-error.js';
import { readList, readObject, readString, readStringList, readStringMap } from './read-json.js';
import { validateLabelKey, validateLabels } from './read-object-meta.js';

const OPERATORS: readonly string[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/**
 * Reads and validates a metav1.LabelSelector as Kubernetes `ValidateLabelSelector` does. Returns undefined
 * when the field is absent or anything in it is invalid (the errors say what), so callers only match with
 * selectors that parse, as Kubernetes' `LabelSelectorAsSelector` requires. Empty parts are left out.
 */
export function readLabelSelector(value: unknown, path: string, errors: FieldError[]): LabelSelector | undefined {
  const before = errors.length;
  const object = readObject(value, path, errors);
  if (object === undefined) return undefined;
  const matchLabels = readStringMap(object['matchLabels'], `${path}.matchLabels`, errors) ?? {};
  validateLabels(matchLabels, `${path}.matchLabels`, errors);
  const matchExpressions = (readList(object['matchExpressions'], `${path}.matchExpressions`, errors) ?? []).flatMap(
    (entry, index) => readRequirement(entry, `${path}.matchExpressions[${index}]`, errors) ?? [],
  );
  if (errors.length > before) return undefined;
  return {
    ...(Object.keys(matchLabels).length > 0 ? { matchLabels } : {}),
    ...(matchExpressions.length > 0 ? { matchExpressions } : {}),
  };
}

function readRequirement(value: unknown, path: string, errors: FieldError[]): LabelSelectorRequirement | undefined {
  const object = readObject(value, path, errors) ?? {};
  const key = readString(object['key'], `${path}.key`, errors) ?? '';
  const operator = readString(object['operator'], `${path}.operator`, errors) ?? '';
  const values = readStringList(object['values'], `${path}.values`, errors);
  if (operator === 'In' || operator === 'NotIn') {
    if (values.length === 0) {
      errors.push(requiredValue(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    }
  } else if (operator === 'Exists' || operator === 'DoesNotExist') {
    if (values.length > 0) {
      errors.push(
        forbiddenValue(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
      );
    }
  } else {
    errors.push(invalidValue(`${path}.operator`, operator, 'not a valid selector operator'));
  }
  validateLabelKey(key, `${path}.key`, errors);
  values.forEach((entry, index) => {
    for (const message of labelValueErrors(entry))
      errors.push(invalidValue(`${path}.values[${index}]`, entry, message));
  });
  if (!isOperator(operator)) return undefined;
  return { key, operator, ...(values.length > 0 ? { values } : {}) };
}

const isOperator = (operator: string): operator is LabelSelectorOperator => OPERATORS.includes(operator);
