import { describe, expect, it } from 'vitest';
import { formatTable } from '../../../cli/output/format-table.js';

describe('formatTable', () => {
  it('aligns columns three spaces apart and trims trailing spaces', () => {
    const table = formatTable(
      ['NAME', 'STATUS', 'AGE'],
      [
        ['control-plane-1', 'Ready', '5m'],
        ['gpu-1', 'NotReady', ''],
      ],
    );

    expect(table).toBe(
      ['NAME              STATUS     AGE', 'control-plane-1   Ready      5m', 'gpu-1             NotReady'].join('\n'),
    );
  });

  it('counts a multi-byte mark as one column', () => {
    const table = formatTable(
      ['', 'NODE'],
      [
        ['✓', 'a'],
        ['◐', 'bb'],
      ],
    );

    expect(table.split('\n')).toEqual(['    NODE', '✓   a', '◐   bb']);
  });
});
