import type { Taint } from '../model/node.js';

/**
 * Renders a taint as kubectl does: `key=value:Effect`, or `key:Effect` without a value.
 *
 * @example
 * formatTaint({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }); // 'dedicated=gpu:NoSchedule'
 */
export function formatTaint(taint: Taint): string {
  const value = taint.value ? `=${taint.value}` : '';
  return `${taint.key}${value}:${taint.effect}`;
}
