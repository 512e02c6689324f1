import { CliError, EXIT_CODES } from '../cli-error.js';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A Go duration as kubectl's `--timeout` takes it (`90s`, `5m`, `1h30m`, `500ms`); a bare number means
 * seconds, and `0` means no limit. Returns milliseconds.
 */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== trimmed) {
    throw new CliError(`error: invalid duration ${JSON.stringify(text)} (try 90s, 5m or 1h)`, EXIT_CODES.invalidInput);
  }
  return parts.reduce((total, part) => total + Number(part[1]) * (UNIT_MS[part[2] ?? 's'] ?? 0), 0);
}

/** A boolean flag value as kubectl accepts it (`-w=false`, `--watch false`, `-w`). */
export function parseBooleanFlag(value: string | boolean | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  const normalized = value.replace(/^=/, '').toLowerCase();
  if (['true', '1', 'yes', ''].includes(normalized)) return true;
  if (['false', '0', 'no'].includes(normalized)) return false;
  throw new CliError(`error: invalid boolean ${JSON.stringify(value)}`, EXIT_CODES.invalidInput);
}
