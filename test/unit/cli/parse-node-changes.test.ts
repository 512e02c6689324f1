import { describe, expect, it } from 'vitest';
import { parseLabelChange, parseTaint, parseTaintChange } from '../../../cli/input/parse-node-changes.js';

describe('parseLabelChange', () => {
  it('reads key=value, an empty value, and key- for removal', () => {
    const changes = ['hardware=gpu', 'role=', 'legacy-'].map(parseLabelChange);

    expect(changes).toEqual([
      { key: 'hardware', value: 'gpu' },
      { key: 'role', value: '' },
      { key: 'legacy', remove: true },
    ]);
  });

  it('refuses a label without = or -', () => {
    const parse = () => parseLabelChange('hardware');

    expect(parse).toThrow(/expected key=value or key-/);
  });
});

describe('parseTaint', () => {
  it('reads key=value:Effect and key:Effect', () => {
    const taints = ['dedicated=gpu:NoSchedule', 'node-role.kubernetes.io/control-plane:NoSchedule'].map(parseTaint);

    expect(taints).toEqual([
      { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
      { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
    ]);
  });

  it('refuses an unknown effect', () => {
    const parse = () => parseTaint('dedicated=gpu:Sometimes');

    expect(parse).toThrow(/"Sometimes" is not one of NoSchedule, PreferNoSchedule, NoExecute/);
  });

  it('refuses a taint without an effect', () => {
    const parse = () => parseTaint('dedicated=gpu');

    expect(parse).toThrow(/expected key\[=value\]:Effect/);
  });
});

describe('parseTaintChange', () => {
  it('reads removals by key and by key and effect', () => {
    const changes = ['dedicated-', 'dedicated:NoExecute-'].map(parseTaintChange);

    expect(changes).toEqual([{ removeKey: 'dedicated' }, { removeKey: 'dedicated', effect: 'NoExecute' }]);
  });
});
