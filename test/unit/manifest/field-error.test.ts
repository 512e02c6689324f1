import { describe, expect, it } from 'vitest';
import {
  duplicateValue,
  type FieldError,
  forbiddenValue,
  formatFieldError,
  invalidValue,
  requiredValue,
  toValidated,
  unsupportedValue,
} from '../../../lib/manifest/field-error.js';

describe('formatFieldError', () => {
  it.each<[FieldError, string]>([
    [requiredValue('spec.selector'), 'spec.selector: Required value'],
    [
      requiredValue('metadata.name', 'name or generateName is required'),
      'metadata.name: Required value: name or generateName is required',
    ],
    [
      invalidValue('spec.minReadySeconds', -1, 'must be greater than or equal to 0'),
      'spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0',
    ],
    [invalidValue('spec.x', '20%', 'bad'), 'spec.x: Invalid value: "20%": bad'],
    [invalidValue('spec.x', true, 'bad'), 'spec.x: Invalid value: true: bad'],
    [invalidValue('spec.x', null, 'bad'), 'spec.x: Invalid value: null: bad'],
    [
      invalidValue(
        'spec.template.metadata.labels',
        { name: 'b', app: 'a' },
        '`selector` does not match template `labels`',
      ),
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"a", "name":"b"}: `selector` does not match template `labels`',
    ],
    [
      invalidValue('spec.selector', {}, 'empty selector is invalid for daemonset'),
      'spec.selector: Invalid value: {}: empty selector is invalid for daemonset',
    ],
    [forbiddenValue('spec.x', 'not here'), 'spec.x: Forbidden: not here'],
    [
      unsupportedValue('spec.updateStrategy', 'Foo', ['RollingUpdate', 'OnDelete']),
      'spec.updateStrategy: Unsupported value: "Foo": supported values: "RollingUpdate", "OnDelete"',
    ],
    [duplicateValue('spec.x[1].name', 'a'), 'spec.x[1].name: Duplicate value: "a"'],
    [
      { field: 'metadata.annotations', type: 'Too long', value: 'x', detail: 'may not be more than 256 bytes' },
      'metadata.annotations: Too long: may not be more than 256 bytes',
    ],
  ])('renders %j as kubectl does', (error, expected) => {
    const line = formatFieldError(error);

    expect(line).toBe(expected);
  });
});

describe('toValidated', () => {
  it('returns the errors without building the value', () => {
    const errors = [requiredValue('spec.selector')];
    let built = false;

    const result = toValidated(errors, () => {
      built = true;
      return 1;
    });

    expect(result).toEqual({ ok: false, errors });
    expect(built).toBe(false);
  });

  it('builds the value when there is no error', () => {
    const result = toValidated([], () => 1);

    expect(result).toEqual({ ok: true, value: 1 });
  });
});
