import type { AimVerdict, BenchResult, ResultTable } from './bench-result.js';

/** A benchmark's tables, aims and notes as plain text for the terminal. */
export function formatResult(result: BenchResult): string {
  const lines = [`\n== ${result.title} ==`];
  for (const table of result.tables) lines.push('', table.title, ...formatTable(table));
  if (result.aims.length > 0) lines.push('', 'Aims', ...formatTable(aimsTable(result.aims)));
  for (const note of result.notes) lines.push(`  note: ${note}`);
  return lines.join('\n');
}

export function aimsTable(aims: readonly AimVerdict[]): ResultTable {
  return {
    title: 'Aims',
    columns: ['aim', 'measured', 'verdict'],
    rows: aims.map((aim) => [aim.aim, aim.measured, aim.met ? 'met' : 'MISSED']),
  };
}

/** Columns padded to their widest cell; numbers right-aligned. */
export function formatTable(table: ResultTable): readonly string[] {
  const cells = [table.columns, ...table.rows].map((row) => row.map(String));
  const widths = table.columns.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const render = (row: readonly string[], raw: readonly (string | number)[]) =>
    `  ${row
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return typeof raw[column] === 'number' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd()}`;
  const [header = [], ...body] = cells;
  return [
    render(header, table.columns),
    `  ${widths.map((width) => '-'.repeat(width)).join('  ')}`,
    ...body.map((row, index) => render(row, table.rows[index] ?? [])),
  ];
}

/** A table as GitHub Markdown, for pasting into docs/BENCHMARKS.md. */
export function toMarkdownTable(table: ResultTable): string {
  const escapeCell = (cell: string | number) => String(cell).replaceAll('|', '\\|');
  return [
    `| ${table.columns.map(escapeCell).join(' | ')} |`,
    `| ${table.columns.map(() => '---').join(' | ')} |`,
    ...table.rows.map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
  ].join('\n');
}
