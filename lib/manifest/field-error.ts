/** Kubernetes' field.ErrorType values, as `kubectl` prints them. */
export type FieldErrorType =
  | 'Invalid value'
  | 'Required value'
  | 'Unsupported value'
  | 'Forbidden'
  | 'Duplicate value'
  | 'Too long'
  | 'Not found'
  | 'Internal error';

/** One validation error at a Kubernetes field path, e.g. `spec.template.metadata.labels`. */
export type FieldError = Readonly<{ field: string; type: FieldErrorType; detail: string; value?: unknown }>;

export type Validated<T> = Readonly<{ ok: true; value: T }> | Readonly<{ ok: false; errors: readonly FieldError[] }>;

/** Error types whose line never shows the offending value (as in Kubernetes' `field.Error.ErrorBody`). */
const VALUELESS: ReadonlySet<FieldErrorType> = new Set(['Required value', 'Forbidden', 'Too long', 'Internal error']);

/**
 * Renders an error the way Kubernetes' `field.Error.Error()` does: `<field path>: <Type>: <value>: <detail>`.
 * Strings are quoted, numbers and booleans bare, a map of labels (at a path ending in `labels`) as Go prints it
 * (`map[string]string{"a":"b"}`), other objects as JSON.
 *
 * @example formatFieldError(unsupportedValue('spec.updateStrategy', 'Foo', ['RollingUpdate', 'OnDelete']))
 * // 'spec.updateStrategy: Unsupported value: "Foo": supported values: "RollingUpdate", "OnDelete"'
 */
export function formatFieldError(error: FieldError): string {
  const value = 'value' in error && !VALUELESS.has(error.type) ? `: ${formatValue(error.value, error.field)}` : '';
  const detail = error.detail === '' ? '' : `: ${error.detail}`;
  return `${error.field}: ${error.type}${value}${detail}`;
}

function formatValue(value: unknown, field: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (field.endsWith('labels') && isStringMap(value)) {
    const pairs = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${JSON.stringify(value[key])}`);
    return `map[string]string{${pairs.join(', ')}}`;
  }
  return JSON.stringify(value);
}

function isStringMap(value: unknown): value is Readonly<Record<string, string>> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length > 0 &&
    Object.values(value).every((entry) => typeof entry === 'string')
  );
}

/** `field.Required`: a field that must be set is missing or empty. */
export function requiredValue(field: string, detail = ''): FieldError {
  return { field, type: 'Required value', detail };
}

/** `field.Invalid`: the value is malformed or out of range. */
export function invalidValue(field: string, value: unknown, detail: string): FieldError {
  return { field, type: 'Invalid value', value, detail };
}

/** `field.Forbidden`: the field may not be set in this context. */
export function forbiddenValue(field: string, detail: string): FieldError {
  return { field, type: 'Forbidden', detail };
}

/** `field.NotSupported`: the value is not one of a fixed set, listed in the order given. */
export function unsupportedValue(field: string, value: unknown, supported: readonly string[]): FieldError {
  const detail =
    supported.length === 0 ? '' : `supported values: ${supported.map((v) => JSON.stringify(v)).join(', ')}`;
  return { field, type: 'Unsupported value', value, detail };
}

/** `field.Duplicate`: the value repeats one that must be unique. */
export function duplicateValue(field: string, value: unknown, detail = ''): FieldError {
  return { field, type: 'Duplicate value', value, detail };
}

/** The value built by `build` when no error was collected, else the errors. */
export function toValidated<T>(errors: readonly FieldError[], build: () => T): Validated<T> {
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: build() };
}
