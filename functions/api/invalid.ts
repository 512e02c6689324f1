import type * as z from 'zod';
import { type FieldError, type FieldErrorType, formatFieldError } from '../../lib/manifest/field-error.js';
import { ApiError, type StatusCause } from './responses.js';

/** Kubernetes' `CauseType` for each field error type (`metav1.CauseType`). */
const CAUSE_REASON: Readonly<Record<FieldErrorType, string>> = {
  'Invalid value': 'FieldValueInvalid',
  'Required value': 'FieldValueRequired',
  'Unsupported value': 'FieldValueNotSupported',
  Forbidden: 'FieldValueForbidden',
  'Duplicate value': 'FieldValueDuplicate',
  'Too long': 'FieldValueTooLong',
  'Not found': 'FieldValueNotFound',
  'Internal error': 'InternalError',
  // Strict decoding has no cause type of its own in Kubernetes; the message says what is wrong.
  'Unknown field': 'FieldValueInvalid',
};

/** What is being validated, as the API server names it: `DaemonSet.apps "fluentd-logger"`. */
export type InvalidSubject = Readonly<{ kind: string; group?: string; name: string }>;

/**
 * A 422 `Invalid` refusal in the API server's words:
 * `DaemonSet.apps "x" is invalid: spec.selector: Required value`, one cause per field.
 */
export function invalid(subject: InvalidSubject, causes: readonly StatusCause[]): ApiError {
  const qualified = subject.group === undefined ? subject.kind : `${subject.kind}.${subject.group}`;
  const rendered = causes.map((cause) =>
    cause.field === undefined ? cause.message : `${cause.field}: ${cause.message}`,
  );
  const summary = rendered.length === 1 ? rendered[0] : `[${rendered.join(', ')}]`;
  return new ApiError(422, 'Invalid', `${qualified} "${subject.name}" is invalid: ${summary}`, {
    name: subject.name,
    ...(subject.group === undefined ? {} : { group: subject.group }),
    kind: subject.kind,
    causes,
  });
}

/** Causes from the manifest layer's field errors. */
export function causesFromFieldErrors(errors: readonly FieldError[]): StatusCause[] {
  return errors.map((error) => {
    const full = formatFieldError(error);
    const prefix = `${error.field}: `;
    return {
      reason: CAUSE_REASON[error.type],
      field: error.field,
      message: full.startsWith(prefix) ? full.slice(prefix.length) : full,
    };
  });
}

/** Causes from a zod error, one per issue, at the issue's path (`toRevision`, `phase`). */
export function causesFromZodError(error: z.ZodError): StatusCause[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.');
    return {
      reason: isMissing(issue) ? 'FieldValueRequired' : 'FieldValueInvalid',
      ...(field === '' ? {} : { field }),
      message: issue.message,
    };
  });
}

/** zod reports a missing field as an `invalid_type` issue that received `undefined`. */
function isMissing(issue: z.core.$ZodIssue): boolean {
  return issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
}

/** A name from an object's `metadata.name` for messages, or empty when there is none. */
export function metadataName(object: Readonly<Record<string, unknown>>): string {
  const metadata = object['metadata'];
  if (typeof metadata !== 'object' || metadata === null) return '';
  const name = (metadata as Record<string, unknown>)['name'];
  return typeof name === 'string' ? name : '';
}
