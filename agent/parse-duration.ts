import { CliError, EXIT_CODES } from '../cli/cli-error.js';

/**
 * A Go-style duration (`500ms`, `2s`, `1m`) in milliseconds, at least 100 ms.
 *
 * @example parseDuration('2s', '--poll-interval') // 2000
 */
export function parseDuration(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text.trim());
  const unit = match?.[2];
  const amount = Number(match?.[1]);
  const ms = unit === 'ms' ? amount : unit === 's' ? amount * 1000 : amount * 60_000;
  if (match === null || !(ms >= 100)) {
    throw new CliError(
      `error: ${option}: Invalid value: ${JSON.stringify(text)}: must be a duration of at least 100ms, like 2s or 500ms`,
      EXIT_CODES.invalidInput,
    );
  }
  return ms;
}
