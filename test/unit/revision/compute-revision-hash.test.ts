import { describe, expect, it } from 'vitest';
import type { PodTemplate } from '../../../lib/model/daemon-set.js';
import { canonicalJson } from '../../../lib/revision/canonical-json.js';
import {
  computeRevisionHash,
  fnv1a32,
  revisionName,
  safeEncodeString,
} from '../../../lib/revision/compute-revision-hash.js';

const template: PodTemplate = {
  metadata: { labels: { app: 'agent' }, annotations: {} },
  spec: { containers: [{ name: 'agent', image: 'registry.example/agent:1.0.0' }] },
};

describe('computeRevisionHash', () => {
  it('never changes for the same template, so running pods keep their revision across releases', () => {
    const hash = computeRevisionHash(template);

    expect(hash).toBe(REGRESSION_HASH);
  });

  it('uses at most 10 characters of the safe alphabet', () => {
    const hash = computeRevisionHash(template, 12345);

    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  });

  it('ignores the order of keys', () => {
    const reordered: PodTemplate = {
      spec: { containers: [{ image: 'registry.example/agent:1.0.0', name: 'agent' }] },
      metadata: { annotations: {}, labels: { app: 'agent' } },
    };

    expect(computeRevisionHash(reordered)).toBe(computeRevisionHash(template));
  });

  it('changes with the template', () => {
    const changed: PodTemplate = {
      ...template,
      spec: { containers: [{ name: 'agent', image: 'registry.example/agent:1.0.1' }] },
    };

    expect(computeRevisionHash(changed)).not.toBe(computeRevisionHash(template));
  });

  it('changes with the collision count, treating 0 as no collision', () => {
    const hashes = [undefined, 0, 1, 2].map((count) => computeRevisionHash(template, count));

    expect(hashes[1]).toBe(hashes[0]);
    expect(new Set(hashes).size).toBe(3);
  });

  it('names revisions after the daemon set and the hash', () => {
    expect(revisionName('agent', 'abc')).toBe('agent-abc');
  });
});

describe('fnv1a32', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('hashes %j to the published FNV-1a value', (text, expected) => {
    expect(fnv1a32(new TextEncoder().encode(text))).toBe(expected);
  });
});

describe('safeEncodeString', () => {
  it('maps each character by its code into the safe alphabet', () => {
    expect(safeEncodeString('2166136261')).toBe('65bb57b6b5');
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: true, x: null }], c: 'é' } })).toBe(
      '{"a":{"c":"é","d":[2,{"x":null,"y":true}]},"b":1}',
    );
  });
});

// Computed once; if this changes, every pod in every cluster would be rolled on upgrade.
const REGRESSION_HASH = '7778ddfd89';
