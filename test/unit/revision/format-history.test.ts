import { describe, expect, it } from 'vitest';
import { formatHistory } from '../../../lib/revision/format-history.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { revisionOf } from './revision-fixtures.js';

const base = aDaemonSet('agent');

describe('formatHistory', () => {
  it('lists revisions in ascending order with <none> for a missing change cause', () => {
    const revisions = [revisionOf(base.withImage('b').build(), 3), revisionOf(base.withImage('a').build(), 1)];

    const rows = formatHistory(revisions);

    expect(rows).toEqual([
      { revision: 1, changeCause: '<none>' },
      { revision: 3, changeCause: '<none>' },
    ]);
  });

  it('shows the recorded change cause, else the template annotation', () => {
    const annotated = base.withTemplateAnnotations({ 'kubernetes.io/change-cause': 'from the template' });
    const revisions = [
      revisionOf(annotated.build(), 1),
      { ...revisionOf(annotated.withImage('x').build(), 2), changeCause: 'kubectl annotate' },
    ];

    const rows = formatHistory(revisions);

    expect(rows).toEqual([
      { revision: 1, changeCause: 'from the template' },
      { revision: 2, changeCause: 'kubectl annotate' },
    ]);
  });

  it('shows one row per revision number', () => {
    const revisions = [revisionOf(base.withImage('a').build(), 1), revisionOf(base.withImage('b').build(), 1)];

    const rows = formatHistory(revisions);

    expect(rows).toHaveLength(1);
  });

  it('returns no rows without history', () => {
    expect(formatHistory([])).toEqual([]);
  });
});
