/**
 * A small EventBridge pattern matcher covering what the stack's rules use: every pattern key must be
 * present in the event; an array lists the accepted exact values (an array in the event matches when
 * any element is accepted); an object descends into the event's object. Content filters (prefix,
 * anything-but, numeric, exists) are not supported and make the matcher throw.
 */
export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
  if (!isRecord(pattern)) throw new Error('an event pattern is an object');
  if (!isRecord(event)) return false;
  return Object.entries(pattern).every(([key, expected]) => {
    if (!(key in event)) return false;
    const actual = event[key];
    if (Array.isArray(expected)) {
      if (expected.some((value) => isRecord(value))) throw new Error(`content filters are not supported (${key})`);
      const values: unknown[] = Array.isArray(actual) ? actual : [actual];
      return values.some((value) => expected.includes(value));
    }
    return matchesEventPattern(expected, actual);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
