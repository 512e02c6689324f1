import type { JsonValue, PodTemplate } from '../model/daemon-set.js';

/**
 * JSON with object keys sorted at every level and no whitespace, so equal values always give equal
 * text whatever order their keys were written in. Array order is kept: it is meaningful in pod specs.
 *
 * @example
 * canonicalJson({ b: 1, a: { d: [2, 1], c: null } }); // '{"a":{"c":null,"d":[2,1]},"b":1}'
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const members = Object.keys(value)
    .sort()
    .flatMap((key) => {
      const member = value[key];
      return member === undefined ? [] : [`${JSON.stringify(key)}:${canonicalJson(member)}`];
    });
  return `{${members.join(',')}}`;
}

const isArray = (value: JsonValue): value is readonly JsonValue[] => Array.isArray(value);

/**
 * Whether two pod templates are the same revision (Kubernetes compares the stored template bytes;
 * here, canonical JSON, so key order does not matter and everything else does).
 */
export function templatesEqual(a: PodTemplate, b: PodTemplate): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
