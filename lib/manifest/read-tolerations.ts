import { labelValueErrors } from '../labels/label-syntax.js';
import type { TaintEffect } from '../model/node.js';
import type { Toleration, TolerationOperator } from '../model/pod-spec.js';
import { type FieldError, invalidValue, unsupportedValue } from './field-error.js';
import { readInteger, readList, readObject, readString } from './read-json.js';
import { validateLabelKey } from './read-object-meta.js';

/** The taint effects Kubernetes accepts, in the order its errors list them. */
export const TAINT_EFFECTS: readonly TaintEffect[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/**
 * Reads and validates tolerations as Kubernetes `ValidateTolerations` does (errors at
 * `<path>[i].operator` and `<path>[i].effect`, worded as the API server words them). Empty strings are
 * left out of the model: an absent key, operator or effect means the same as an empty one.
 */
export function readTolerations(value: unknown, path: string, errors: FieldError[]): Toleration[] {
  return (readList(value, path, errors) ?? []).map((entry, index) =>
    readToleration(entry, `${path}[${index}]`, errors),
  );
}

function readToleration(value: unknown, path: string, errors: FieldError[]): Toleration {
  const object = readObject(value, path, errors) ?? {};
  const key = readString(object['key'], `${path}.key`, errors) ?? '';
  const operator = readString(object['operator'], `${path}.operator`, errors) ?? '';
  const tolerationValue = readString(object['value'], `${path}.value`, errors) ?? '';
  const effect = readString(object['effect'], `${path}.effect`, errors) ?? '';
  const tolerationSeconds = readInteger(object['tolerationSeconds'], `${path}.tolerationSeconds`, errors);
  if (key !== '') validateLabelKey(key, `${path}.key`, errors);
  if (key === '' && operator !== 'Exists') {
    errors.push(
      invalidValue(
        `${path}.operator`,
        operator,
        'operator must be Exists when `key` is empty, which means "match all values and all keys"',
      ),
    );
  }
  if (tolerationSeconds !== undefined && effect !== 'NoExecute') {
    errors.push(invalidValue(`${path}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
  }
  if (operator === '' || operator === 'Equal') {
    const messages = labelValueErrors(tolerationValue);
    if (messages.length > 0) errors.push(invalidValue(`${path}.operator`, tolerationValue, messages.join(';')));
  } else if (operator === 'Exists') {
    if (tolerationValue !== '') {
      errors.push(invalidValue(`${path}.operator`, tolerationValue, "value must be empty when `operator` is 'Exists'"));
    }
  } else {
    errors.push(unsupportedValue(`${path}.operator`, operator, ['Equal', 'Exists']));
  }
  if (effect !== '' && !isTaintEffect(effect)) errors.push(unsupportedValue(`${path}.effect`, effect, TAINT_EFFECTS));
  return {
    ...(key === '' ? {} : { key }),
    ...(operator === 'Equal' || operator === 'Exists' ? { operator: operator satisfies TolerationOperator } : {}),
    ...(tolerationValue === '' ? {} : { value: tolerationValue }),
    ...(isTaintEffect(effect) ? { effect } : {}),
    ...(tolerationSeconds === undefined ? {} : { tolerationSeconds }),
  };
}

/** Whether a string is one of `TAINT_EFFECTS`. */
export function isTaintEffect(effect: string): effect is TaintEffect {
  return (TAINT_EFFECTS as readonly string[]).includes(effect);
}
