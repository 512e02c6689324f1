import { describe, expect, it } from 'vitest';
import {
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  labelValueErrors,
  qualifiedNameErrors,
} from '../../../lib/labels/label-syntax.js';

describe('qualifiedNameErrors', () => {
  it.each(['name', 'node-role.kubernetes.io/control-plane', 'My.Name_1', 'a'])('accepts %j', (key) => {
    expect(qualifiedNameErrors(key)).toEqual([]);
  });

  it.each([
    ['', ['name part must be non-empty', expect.stringMatching(/^name part must consist of alphanumeric characters/)]],
    ['/name', ['prefix part must be non-empty']],
    ['Example.com/name', [expect.stringMatching(/^prefix part a lowercase RFC 1123 subdomain must consist/)]],
    [
      'a/b/c',
      [expect.stringMatching(/^a qualified name must consist of .* with an optional DNS subdomain prefix and '\/'/)],
    ],
    ['x'.repeat(64), ['name part must be no more than 63 characters']],
  ])('rejects %j', (key, expected) => {
    expect(qualifiedNameErrors(key)).toEqual(expected);
  });

  it('words the grammar as Kubernetes does, double space included', () => {
    const [message] = qualifiedNameErrors('-bad');

    expect(message).toBe(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
  });
});

describe('labelValueErrors', () => {
  it.each(['', 'gpu', 'v1.2_3-a'])('accepts %j', (value) => {
    expect(labelValueErrors(value)).toEqual([]);
  });

  it.each(['-a', 'a b', 'x'.repeat(64)])('rejects %j', (value) => {
    expect(labelValueErrors(value)).not.toEqual([]);
  });
});

describe('DNS names', () => {
  it('accepts a dotted subdomain and refuses it as a label', () => {
    expect(dns1123SubdomainErrors('fluentd.logger')).toEqual([]);
    expect(dns1123LabelErrors('fluentd.logger')).toEqual([
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });

  it('limits a subdomain to 253 characters', () => {
    expect(dns1123SubdomainErrors('a'.repeat(254))).toEqual(['must be no more than 253 characters']);
  });
});

describe('qualifiedNameErrors as a label key check', () => {
  it.each([
    ['zone', true],
    ['topology.kubernetes.io/zone', true],
    ['node-role.kubernetes.io/control-plane', true],
    ['a_b.c-d', true],
    ['', false],
    ['-zone', false],
    ['zone-', false],
    ['has space', false],
    ['/zone', false],
    ['Example.com/zone', false],
    ['example.com/', false],
    [`${'a'.repeat(63)}`, true],
    [`${'a'.repeat(64)}`, false],
  ])('judges %j valid: %s', (key, expected) => {
    expect(qualifiedNameErrors(key).length === 0).toBe(expected);
  });
});

describe('labelValueErrors as a label value check', () => {
  it.each([
    ['', true],
    ['ssd', true],
    ['v1.2_3-x', true],
    ['-5', false],
    ['a/b', false],
    [`${'a'.repeat(64)}`, false],
  ])('judges %j valid: %s', (value, expected) => {
    expect(labelValueErrors(value).length === 0).toBe(expected);
  });
});
