import { DEFAULT_BURST_REPLICAS, type IntOrPercent, type JsonObject, type LabelSelector } from '../model/daemon-set.js';
import { type FieldError, invalidValue } from './field-error.js';
import { readIntOrPercent } from './read-int-or-percent.js';
import { readBoolean, readInteger } from './read-json.js';
import { readLabelSelector } from './read-label-selector.js';
import { KRUISE_V1ALPHA1 } from './read-type-meta.js';

/**
 * Rollout controls given as OpenKruise fields. Only values that change behaviour are present: `paused: false`,
 * `partition: 0`, an empty `selector` and `burstReplicas: 250` (all Kruise defaults) count as not set.
 */
export type NativeRollout = Readonly<{
  paused?: true;
  partition?: IntOrPercent;
  canarySelector?: LabelSelector;
  burstReplicas?: number;
}>;

/** Where each OpenKruise rollout field lives, for errors that name it. */
export const NATIVE_ROLLOUT_FIELDS = {
  paused: 'spec.updateStrategy.rollingUpdate.paused',
  partition: 'spec.updateStrategy.rollingUpdate.partition',
  canarySelector: 'spec.updateStrategy.rollingUpdate.selector',
  burstReplicas: 'spec.burstReplicas',
} as const;

/**
 * Reads OpenKruise's `spec.burstReplicas` and, for a RollingUpdate strategy, `rollingUpdate.paused`,
 * `.partition` (int32 in v1alpha1, IntOrString in v1beta1) and `.selector` (the nodes to update).
 */
export function readKruiseRollout(
  spec: JsonObject,
  rollingUpdate: JsonObject,
  apiVersion: string,
  rolling: boolean,
  errors: FieldError[],
): NativeRollout {
  const burstReplicas = readBurstReplicas(spec['burstReplicas'], errors);
  const burst = burstReplicas === undefined || burstReplicas === DEFAULT_BURST_REPLICAS ? {} : { burstReplicas };
  if (!rolling) return burst;
  const paused = readBoolean(rollingUpdate['paused'], NATIVE_ROLLOUT_FIELDS.paused, errors);
  const partition = readPartition(rollingUpdate['partition'], apiVersion, errors);
  const canarySelector = readLabelSelector(rollingUpdate['selector'], NATIVE_ROLLOUT_FIELDS.canarySelector, errors);
  const selects = canarySelector !== undefined && Object.keys(canarySelector).length > 0;
  return {
    ...burst,
    ...(paused === true ? { paused } : {}),
    ...(partition === undefined || isZero(partition) ? {} : { partition }),
    ...(selects ? { canarySelector } : {}),
  };
}

function readBurstReplicas(value: unknown, errors: FieldError[]): number | undefined {
  const path = NATIVE_ROLLOUT_FIELDS.burstReplicas;
  if (typeof value === 'string') {
    errors.push(invalidValue(path, value, 'must be an integer: everynode does not scale burstReplicas by percentage'));
    return undefined;
  }
  const burstReplicas = readInteger(value, path, errors);
  if (burstReplicas === undefined || burstReplicas >= 1) return burstReplicas;
  errors.push(invalidValue(path, burstReplicas, 'must be greater than or equal to 1'));
  return undefined;
}

function readPartition(value: unknown, apiVersion: string, errors: FieldError[]): IntOrPercent | undefined {
  const path = NATIVE_ROLLOUT_FIELDS.partition;
  if (apiVersion !== KRUISE_V1ALPHA1) return readIntOrPercent(value, path, errors);
  const partition = readInteger(value, path, errors);
  if (partition === undefined || partition >= 0) return partition;
  errors.push(invalidValue(path, partition, 'must be greater than or equal to 0'));
  return undefined;
}

const isZero = (value: IntOrPercent): boolean => (typeof value === 'number' ? value : value.percent) === 0;
