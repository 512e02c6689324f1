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

/** `spec.updateStrategy: Unsupported value: "Foo": supported values: "OnDelete", "RollingUpdate"` */
export function formatFieldError(error: FieldError): string {
  const value =
    'value' in error && error.type !== 'Required value' && error.type !== 'Forbidden'
      ? `${JSON.stringify(error.value)}: `
      : '';
  return `${error.field}: ${error.type}: ${value}${error.detail}`;
}

export type Validated<T> = Readonly<{ ok: true; value: T }> | Readonly<{ ok: false; errors: readonly FieldError[] }>;
