const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Parses a base-10 signed 64-bit integer exactly as Go's `strconv.ParseInt(text, 10, 64)` does:
 * an optional sign and at least one digit, nothing else (no spaces, no `_`, no `0x`), within int64 range.
 * Returns `undefined` when Go would return an error, so callers treat it as "does not match".
 *
 * @example
 * parseInt64('+007'); // 7n
 * parseInt64('1.5'); // undefined
 * parseInt64('9223372036854775808'); // undefined (out of range)
 */
export function parseInt64(text: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const value = BigInt(text);
  return value < INT64_MIN || value > INT64_MAX ? undefined : value;
}
