import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { formatLabelSelector } from '../../lib/labels/format-label-selector.js';
import { labelSelectorMatches } from '../../lib/labels/label-selector-matches.js';
import { parseLabelSelector } from '../../lib/labels/parse-label-selector.js';
import { arbLabelKey, arbLabelSelector, arbLabels, arbLabelValue } from '../fixtures/manifests/label-arbitraries.js';

describe('label selectors', () => {
  test.prop([arbLabelSelector()])('parse back from their string form', (selector) => {
    const text = formatLabelSelector(selector);

    expect(parseLabelSelector(text)).toEqual(selector);
  });

  test.prop([arbLabels(), fc.func(fc.boolean())])('match the labels they were taken from', (labels, keep) => {
    const matchLabels = Object.fromEntries(Object.entries(labels).filter((_entry, index) => keep(index)));

    expect(labelSelectorMatches({ matchLabels }, labels)).toBe(true);
  });

  test.prop([arbLabels(), arbLabelKey(), fc.array(arbLabelValue(), { minLength: 1, maxLength: 3 })])(
    'match NotIn exactly where In does not',
    (labels, key, values) => {
      const matchesIn = labelSelectorMatches({ matchExpressions: [{ key, operator: 'In', values }] }, labels);

      const matchesNotIn = labelSelectorMatches({ matchExpressions: [{ key, operator: 'NotIn', values }] }, labels);

      expect(matchesNotIn).toBe(!matchesIn);
    },
  );

  test.prop([arbLabels(), arbLabelKey()])('match Exists exactly where DoesNotExist does not', (labels, key) => {
    const exists = labelSelectorMatches({ matchExpressions: [{ key, operator: 'Exists' }] }, labels);

    const absent = labelSelectorMatches({ matchExpressions: [{ key, operator: 'DoesNotExist' }] }, labels);

    expect(absent).toBe(!exists);
  });
});
