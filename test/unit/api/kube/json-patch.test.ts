import { describe, expect, it } from 'vitest';
import { JsonPatchError, jsonPatch } from '../../../../functions/api/kube/patch/json-patch.js';
import { mergePatch } from '../../../../functions/api/kube/patch/merge-patch.js';

const node = {
  metadata: { name: 'worker-1', labels: { zone: 'a' } },
  spec: { taints: [{ key: 'x', effect: 'NoSchedule' }] },
};

describe('jsonPatch (RFC 6902)', () => {
  it('applies add, replace, remove, copy, move and test in order', () => {
    const patched = jsonPatch(node, [
      { op: 'test', path: '/metadata/name', value: 'worker-1' },
      { op: 'add', path: '/metadata/labels/hardware', value: 'gpu' },
      { op: 'replace', path: '/metadata/labels/zone', value: 'b' },
      { op: 'add', path: '/spec/taints/-', value: { key: 'y', effect: 'NoExecute' } },
      { op: 'remove', path: '/spec/taints/0' },
      { op: 'copy', from: '/metadata/labels/zone', path: '/metadata/labels/region' },
      { op: 'move', from: '/metadata/labels/hardware', path: '/metadata/labels/accelerator' },
      { op: 'add', path: '/metadata/annotations', value: { 'a~b/c': '1' } },
      { op: 'replace', path: '/metadata/annotations/a~0b~1c', value: '2' },
    ]);

    expect(patched).toEqual({
      metadata: {
        name: 'worker-1',
        labels: { zone: 'b', region: 'b', accelerator: 'gpu' },
        annotations: { 'a~b/c': '2' },
      },
      spec: { taints: [{ key: 'y', effect: 'NoExecute' }] },
    });
    expect(node.metadata.labels).toEqual({ zone: 'a' });
  });

  it('fails the whole patch on a failed test or a missing path', () => {
    expect(() => jsonPatch(node, [{ op: 'test', path: '/metadata/name', value: 'other' }])).toThrow(
      'testing value /metadata/name failed',
    );
    expect(() => jsonPatch(node, [{ op: 'replace', path: '/spec/unschedulable', value: true }])).toThrow(
      JsonPatchError,
    );
    expect(() => jsonPatch(node, [{ op: 'remove', path: '/spec/taints/3' }])).toThrow('out of bounds');
    expect(() => jsonPatch(node, [{ op: 'frobnicate', path: '/a' }])).toThrow('unexpected kind of operation');
    expect(() => jsonPatch(node, { op: 'add' })).toThrow('must be a list');
  });
});

describe('mergePatch (RFC 7386)', () => {
  it('merges objects, removes null members and replaces lists', () => {
    expect(
      mergePatch(node, {
        metadata: { labels: { zone: null, hardware: 'gpu' } },
        spec: { taints: [], unschedulable: true },
      }),
    ).toEqual({
      metadata: { name: 'worker-1', labels: { hardware: 'gpu' } },
      spec: { taints: [], unschedulable: true },
    });
  });

  it('follows the RFC examples', () => {
    expect(mergePatch({ a: 'b' }, { a: 'c' })).toEqual({ a: 'c' });
    expect(mergePatch({ a: [{ b: 'c' }] }, { a: [1] })).toEqual({ a: [1] });
    expect(mergePatch({ e: null }, { a: 1 })).toEqual({ e: null, a: 1 });
    expect(mergePatch(['a', 'b'], ['c', 'd'])).toEqual(['c', 'd']);
    expect(mergePatch({ a: 'foo' }, 'bar')).toBe('bar');
    expect(mergePatch({}, { a: { bb: { ccc: null } } })).toEqual({ a: { bb: {} } });
  });
});
