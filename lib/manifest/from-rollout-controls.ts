import { formatLabelSelector } from '../labels/format-label-selector.js';
import { DEFAULT_BURST_REPLICAS, formatIntOrPercent, type RolloutControls } from '../model/daemon-set.js';
import {
  AUTO_REVERT_ANNOTATION,
  BURST_REPLICAS_ANNOTATION,
  CANARY_SELECTOR_ANNOTATION,
  FROZEN_ANNOTATION,
  NOT_READY_AWARE_ANNOTATION,
  PARTITION_ANNOTATION,
  PAUSED_ANNOTATION,
  PROGRESS_DEADLINE_SECONDS_ANNOTATION,
} from './everynode-annotations.js';
import type { NativeRollout } from './read-kruise-rollout.js';

/**
 * The `everynode.io/...` annotations that express `rollout`, leaving out controls that are off and those
 * written as OpenKruise fields instead (`native`). The inverse of `readRolloutControls`.
 */
export function fromRolloutControls(
  rollout: RolloutControls,
  native: ReadonlySet<keyof NativeRollout>,
): Record<string, string> {
  const annotations: Record<string, string> = {};
  const set = (name: string, value: string | undefined): void => {
    if (value !== undefined) annotations[name] = value;
  };
  if (!native.has('paused')) set(PAUSED_ANNOTATION, rollout.paused ? 'true' : undefined);
  set(FROZEN_ANNOTATION, rollout.frozen ? 'true' : undefined);
  if (!native.has('partition') && rollout.partition !== undefined) {
    set(PARTITION_ANNOTATION, String(formatIntOrPercent(rollout.partition)));
  }
  if (!native.has('canarySelector') && rollout.canarySelector !== undefined) {
    set(CANARY_SELECTOR_ANNOTATION, formatLabelSelector(rollout.canarySelector));
  }
  set(PROGRESS_DEADLINE_SECONDS_ANNOTATION, rollout.progressDeadlineSeconds?.toString());
  set(AUTO_REVERT_ANNOTATION, rollout.autoRevert ? 'true' : undefined);
  set(NOT_READY_AWARE_ANNOTATION, rollout.notReadyAware ? 'true' : undefined);
  if (!native.has('burstReplicas') && rollout.burstReplicas !== DEFAULT_BURST_REPLICAS) {
    set(BURST_REPLICAS_ANNOTATION, String(rollout.burstReplicas));
  }
  return annotations;
}
