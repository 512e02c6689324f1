import { formatTable } from './format-table.js';

/** One `Key: value` line of kubectl's describe layout; multi-line values continue under the value column. */
export function field(label: string, value: string | number | boolean, width = 16): string {
  const [first = '', ...rest] = String(value).split('\n');
  const pad = ' '.repeat(Math.max(width - label.length - 1, 1));
  return [`${label}:${pad}${first}`, ...rest.map((line) => `${' '.repeat(width)}${line}`)].join('\n');
}

/** A titled section with an indented table, or `<none>` when it has no rows. */
export function section(title: string, header: readonly string[], rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return `${title}:  <none>`;
  const table = formatTable(header, rows)
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
  return `${title}:\n${table}`;
}

/** `k=v` lines (one per entry, as kubectl describes labels), or `<none>`. */
export function keyValueLines(map: Readonly<Record<string, string>>): string {
  const lines = Object.entries(map)
    .toSorted(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`);
  return lines.length === 0 ? '<none>' : lines.join('\n');
}
