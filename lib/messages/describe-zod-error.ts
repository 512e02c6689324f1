import type * as z from 'zod';

/**
 * Renders a zod error as one line of `path: message` pairs, the way field errors read elsewhere
 * (`report.phase: Invalid option: expected one of ...; observedAt: expected an RFC 3339 timestamp`).
 */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path === '' ? issue.message : `${path}: ${issue.message}`;
    })
    .join('; ');
}
