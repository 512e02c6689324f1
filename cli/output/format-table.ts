/**
 * Lays out rows in left-aligned columns separated by three spaces, as kubectl's tab writer does.
 * Trailing spaces are trimmed so output compares cleanly in scripts and tests.
 *
 * @example
 * formatTable(['NAME', 'AGE'], [['gpu-1', '5m']]); // 'NAME    AGE\ngpu-1   5m'
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => displayWidth(row[column] ?? ''))));
  return all
    .map((row) =>
      header
        .map((_, column) => {
          const cell = row[column] ?? '';
          return cell + ' '.repeat((widths[column] ?? 0) - displayWidth(cell));
        })
        .join('   ')
        .trimEnd(),
    )
    .join('\n');
}

/** Characters as a terminal shows them (one column each); enough for the marks and names printed here. */
function displayWidth(text: string): number {
  return [...text].length;
}
