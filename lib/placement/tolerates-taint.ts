import type { Taint } from '../model/node.js';
import type { Toleration } from '../model/pod-spec.js';

/**
 * Kubernetes' `Toleration.ToleratesTaint`. An empty effect matches every effect; an empty key matches
 * every key (validation only allows that with `Exists`); `Exists` ignores the value; an empty or `Equal`
 * operator compares values, absent and empty being the same. `tolerationSeconds` plays no part.
 *
 * @example
 * toleratesTaint({ operator: 'Exists' }, { key: 'anything', effect: 'NoExecute' }); // true
 * toleratesTaint({ key: 'gpu', value: 'a100', effect: 'NoSchedule' }, { key: 'gpu', value: 'h100', effect: 'NoSchedule' }); // false
 */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? '') {
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      // An operator Kubernetes does not know (manifests are JSON, so this can happen) tolerates nothing.
      return false;
  }
}
