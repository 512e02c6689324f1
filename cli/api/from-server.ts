import { formatFieldError, type Validated } from '../../lib/manifest/field-error.js';
import { CliError, EXIT_CODES } from '../cli-error.js';

/**
 * The model form of an object the server sent (through the same converters as manifests), so client-side
 * decisions such as placement use exactly the server's rules. A server object that does not convert is a
 * server fault (exit 1).
 */
export function fromServer<T>(convert: (object: unknown) => Validated<T>, object: unknown, what: string): T {
  const result = convert(object);
  if (result.ok) return result.value;
  throw new CliError(
    `error: the server sent a ${what} everynode cannot read: ${result.errors.map(formatFieldError).join('; ')}`,
    EXIT_CODES.failure,
  );
}
