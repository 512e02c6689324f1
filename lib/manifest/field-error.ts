/** Kubernetes' field.ErrorType values, as `kubectl` prints them. */
export type FieldErrorType =
  | 'Invalid value'
  | 'Required value'
  | 'Unsupported value'
  | 'Forbidden'
  | 'Duplicate value'
  | 'Too long'
  | 'Not found'
  | 'Internal error'
  /** Not a `field.ErrorType`: the API server's strict decoding refuses a field the type does not have. */
  | 'Unknown field';

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
 * An unknown field reads as kubectl's default strict field validation prints it:
 * `strict decoding error: unknown field "spec.replicas"`.
 *
 * @example formatFieldError(unsupportedValue('spec.updateStrategy', 'Foo', ['RollingUpdate', 'OnDelete']))
 * // 'spec.updateStrategy: Unsupported value: "Foo": supported values: "RollingUpdate", "OnDelete"'
 */
export function formatFieldError(error: FieldError): string {
  if (error.type === 'Unknown field') return `strict decoding error: unknown field ${JSON.stringify(error.field)}`;
  const value = 'value' in error && !VALUELESS.has(error.type) ? `: ${formatValue(error.value, error.field)}` : '';
  const detail = error.detail === '' ? '' : `: ${error.detail}`;
  return `${error.field}: ${error.type}${value}${detail}`;
}

function formatValue(value: unknown, field: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (field.endsWith('labels') && isEmptyObject(value)) return 'map[string]string(nil)';
  if (field.endsWith('labels') && isStringMap(value)) {
    const pairs = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${JSON.stringify(value[key])}`);
    return `map[string]string{${pairs.join(', ')}}`;
  }
  return JSON.stringify(value);
}

const isEmptyObject = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;

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

/** `field.NotFound`: the value names something that does not exist, such as a volume a mount names. */
export function notFoundValue(field: string, value: unknown): FieldError {
  return { field, type: 'Not found', value, detail: '' };
}

/** `field.TooLong`: a value, or the sum of a map's keys and values, is over its limit in bytes. */
export function tooLongValue(field: string, maxBytes: number): FieldError {
  return { field, type: 'Too long', detail: `may not be more than ${maxBytes} bytes` };
}

/** A field the object's type does not have (kubectl's default strict field validation refuses it). */
export function unknownField(field: string): FieldError {
  return { field, type: 'Unknown field', detail: '' };
}

/** The value built by `build` when no error was collected, else the errors. */
export function toValidated<T>(errors: readonly FieldError[], build: () => T): Validated<T> {
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: build() };
}
