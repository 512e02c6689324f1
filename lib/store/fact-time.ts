import { TerminalError } from '../ports/errors.js';

/**
 * Normalises a fact's RFC 3339 time to `Date#toISOString` form (UTC, milliseconds) so that facts order by
 * plain string comparison, in the store's conditions as in memory.
 *
 * @throws {TerminalError} the time does not parse: retrying the fact cannot help.
 */
export function toFactTime(observedAt: string): string {
  const millis = Date.parse(observedAt);
  if (Number.isNaN(millis)) throw new TerminalError(`not an RFC 3339 time: ${JSON.stringify(observedAt)}`);
  return new Date(millis).toISOString();
}

/** Epoch seconds `seconds` after an RFC 3339 time: a time-to-live value for DynamoDB's `expiresAt`. */
export function expiresAfter(time: string, seconds: number): number {
  return Math.floor(Date.parse(time) / 1000) + seconds;
}
