import { describe, expect, it } from 'vitest';
import { applyEdit } from '../../../cli/commands/node-edit.js';

const node = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'gpu-1', labels: { hardware: 'gpu', zone: 'a' } },
  spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
};

describe('applyEdit', () => {
  it('sets and removes labels', () => {
    const { changed, verb } = applyEdit(node, { kind: 'label', changes: ['zone=b', 'hardware-', 'tier=infra'] });

    expect(verb).toBe('labeled');
    expect(changed?.['metadata']).toEqual({ name: 'gpu-1', labels: { zone: 'b', tier: 'infra' } });
  });

  it('adds a taint and replaces one with the same key and effect', () => {
    const { changed, verb } = applyEdit(node, {
      kind: 'taint',
      changes: ['dedicated=ml:NoSchedule', 'maintenance:NoExecute'],
    });

    expect(verb).toBe('tainted');
    expect(changed?.['spec']).toEqual({
      taints: [
        { key: 'dedicated', value: 'ml', effect: 'NoSchedule' },
        { key: 'maintenance', effect: 'NoExecute' },
      ],
    });
  });

  it('removes a taint by key', () => {
    const { changed, verb } = applyEdit(node, { kind: 'taint', changes: ['dedicated-'] });

    expect(verb).toBe('untainted');
    expect(changed?.['spec']).toEqual({ taints: [] });
  });

  it('fails when the taint to remove is not there', () => {
    const edit = () => applyEdit(node, { kind: 'taint', changes: ['missing:NoSchedule-'] });

    expect(edit).toThrow(/taint "missing" not found/);
  });

  it('cordons, and reports a node that is already cordoned without a change', () => {
    const cordoned = applyEdit(node, { kind: 'cordon' });
    const again = applyEdit(cordoned.changed ?? node, { kind: 'cordon' });

    expect(cordoned.changed?.['spec']).toMatchObject({ unschedulable: true });
    expect(again).toEqual({ verb: 'cordoned' });
  });

  it('uncordons by dropping spec.unschedulable', () => {
    const cordoned = { ...node, spec: { ...node.spec, unschedulable: true } };

    const { changed } = applyEdit(cordoned, { kind: 'uncordon' });

    expect(changed?.['spec']).toEqual(node.spec);
  });
});
