import type { JsonObject, JsonValue, RolloutSwitch } from '../model/daemon-set.js';
import { FROZEN_ANNOTATION, PAUSED_ANNOTATION } from './everynode-annotations.js';

export type { RolloutSwitch } from '../model/daemon-set.js';

/**
 * The rollout switches a manifest does not mention at all: neither the `everynode.io/paused` /
 * `everynode.io/frozen` annotation nor OpenKruise's `spec.updateStrategy.rollingUpdate.paused`.
 *
 * `kubectl apply` merges: a field the manifest never set keeps the value another actor gave it, so
 * `rollout pause` survives the next apply of an unchanged manifest. Applying a manifest keeps these
 * switches as they are stored; a manifest that names one (even as `"false"`) sets it.
 *
 * @example unsetRolloutSwitches({ metadata: { annotations: { 'everynode.io/paused': 'false' } } }) // ['frozen']
 */
export function unsetRolloutSwitches(manifest: JsonObject): readonly RolloutSwitch[] {
  const annotations = objectAt(objectAt(manifest, 'metadata'), 'annotations');
  const rollingUpdate = objectAt(objectAt(objectAt(manifest, 'spec'), 'updateStrategy'), 'rollingUpdate');
  const unset: RolloutSwitch[] = [];
  if (!(PAUSED_ANNOTATION in annotations) && !('paused' in rollingUpdate)) unset.push('paused');
  if (!(FROZEN_ANNOTATION in annotations)) unset.push('frozen');
  return unset;
}

function objectAt(object: JsonObject, key: string): JsonObject {
  const value: JsonValue | undefined = object[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : {};
}
