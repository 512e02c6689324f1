import type { JsonObject, JsonValue, KeptOnApply } from '../model/daemon-set.js';
import { FROZEN_ANNOTATION, PAUSED_ANNOTATION } from './everynode-annotations.js';

export type { KeptOnApply, RolloutSwitch } from '../model/daemon-set.js';

/** The template annotation `kubectl rollout restart` (and `everynode rollout restart`) sets. */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

/**
 * The rollout switches a manifest does not mention at all: neither the `everynode.io/paused` /
 * `everynode.io/frozen` annotation nor OpenKruise's `spec.updateStrategy.rollingUpdate.paused`.
 *
 * `kubectl apply` merges: a field the manifest never set keeps the value another actor gave it, so
 * `rollout pause` survives the next apply of an unchanged manifest. Applying a manifest keeps these
 * switches as they are stored; a manifest that names one (even as `"false"`) sets it. The same holds for
 * the template's `kubectl.kubernetes.io/restartedAt`: re-applying the manifest after `rollout restart`
 * does not restart every pod again.
 *
 * @example unsetRolloutSwitches({ metadata: { annotations: { 'everynode.io/paused': 'false' } } }) // ['frozen', 'restartedAt']
 */
export function unsetRolloutSwitches(manifest: JsonObject): readonly KeptOnApply[] {
  const annotations = objectAt(objectAt(manifest, 'metadata'), 'annotations');
  const rollingUpdate = objectAt(objectAt(objectAt(manifest, 'spec'), 'updateStrategy'), 'rollingUpdate');
  const unset: KeptOnApply[] = [];
  if (!(PAUSED_ANNOTATION in annotations) && !('paused' in rollingUpdate)) unset.push('paused');
  if (!(FROZEN_ANNOTATION in annotations)) unset.push('frozen');
  const template = objectAt(objectAt(manifest, 'spec'), 'template');
  if (!(RESTARTED_AT_ANNOTATION in objectAt(objectAt(template, 'metadata'), 'annotations'))) unset.push('restartedAt');
  return unset;
}

function objectAt(object: JsonObject, key: string): JsonObject {
  const value: JsonValue | undefined = object[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : {};
}
