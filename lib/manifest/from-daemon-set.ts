import {
  type DaemonSet,
  formatIntOrPercent,
  type JsonObject,
  type JsonValue,
  type RolloutControls,
} from '../model/daemon-set.js';
import type { DaemonSetStatus } from '../model/status.js';
import { fromRolloutControls } from './from-rollout-controls.js';
import type { NativeRollout } from './read-kruise-rollout.js';
import { withoutRolloutAnnotations } from './read-rollout-controls.js';
import { isKruiseApiVersion, KRUISE_V1ALPHA1 } from './read-type-meta.js';

/**
 * Renders a DaemonSet (and its status, when given) as the object `kubectl get daemonset -o json` prints,
 * in the DaemonSet's own apiVersion. Rollout controls are written as OpenKruise fields where the apiVersion
 * has them, otherwise as `everynode.io/...` annotations, so `toDaemonSet(fromDaemonSet(x))` gives back `x`.
 */
export function fromDaemonSet(daemonSet: DaemonSet, status?: DaemonSetStatus): JsonObject {
  const kruise = isKruiseApiVersion(daemonSet.apiVersion);
  const native = nativeControls(daemonSet);
  // `rollout` is the truth: a rollout annotation left in `annotations` would contradict or duplicate it.
  const annotations = {
    ...withoutRolloutAnnotations(daemonSet.annotations),
    ...fromRolloutControls(daemonSet.rollout, native),
  };
  const templateAnnotations = daemonSet.template.metadata.annotations;
  return {
    apiVersion: daemonSet.apiVersion,
    kind: 'DaemonSet',
    metadata: {
      name: daemonSet.name,
      namespace: daemonSet.namespace,
      ...(isEmpty(daemonSet.labels) ? {} : { labels: daemonSet.labels }),
      ...(isEmpty(annotations) ? {} : { annotations }),
      generation: daemonSet.generation,
      ...(daemonSet.creationTimestamp === undefined ? {} : { creationTimestamp: daemonSet.creationTimestamp }),
      ...(daemonSet.deletionTimestamp === undefined ? {} : { deletionTimestamp: daemonSet.deletionTimestamp }),
    },
    spec: {
      selector: daemonSet.selector,
      template: {
        metadata: {
          labels: daemonSet.template.metadata.labels,
          ...(isEmpty(templateAnnotations) ? {} : { annotations: templateAnnotations }),
        },
        spec: daemonSet.template.spec,
      },
      updateStrategy: fromUpdateStrategy(daemonSet, native),
      ...(daemonSet.minReadySeconds === 0 ? {} : { minReadySeconds: daemonSet.minReadySeconds }),
      revisionHistoryLimit: daemonSet.revisionHistoryLimit,
      ...(kruise ? { burstReplicas: daemonSet.rollout.burstReplicas } : {}),
    },
    ...(status === undefined ? {} : { status: fromStatus(status, daemonSet.apiVersion) }),
  };
}

/** Which rollout controls the apiVersion expresses as OpenKruise fields. */
function nativeControls(daemonSet: DaemonSet): ReadonlySet<keyof NativeRollout> {
  if (!isKruiseApiVersion(daemonSet.apiVersion)) return new Set();
  if (daemonSet.updateStrategy.type !== 'RollingUpdate') return new Set(['burstReplicas']);
  const partitionIsNative = daemonSet.apiVersion !== KRUISE_V1ALPHA1 || typeof daemonSet.rollout.partition !== 'object';
  return new Set(['burstReplicas', 'paused', 'canarySelector', ...(partitionIsNative ? (['partition'] as const) : [])]);
}

function fromUpdateStrategy(daemonSet: DaemonSet, native: ReadonlySet<keyof NativeRollout>): JsonObject {
  const strategy = daemonSet.updateStrategy;
  if (strategy.type === 'OnDelete') return { type: 'OnDelete' };
  const rollingUpdate: Record<string, JsonValue> = {
    maxUnavailable: formatIntOrPercent(strategy.maxUnavailable),
    maxSurge: formatIntOrPercent(strategy.maxSurge),
  };
  if (isKruiseApiVersion(daemonSet.apiVersion))
    Object.assign(rollingUpdate, fromKruiseFields(daemonSet.rollout, native));
  return { type: 'RollingUpdate', rollingUpdate };
}

function fromKruiseFields(rollout: RolloutControls, native: ReadonlySet<keyof NativeRollout>): JsonObject {
  return {
    rollingUpdateType: 'Standard',
    partition: native.has('partition') && rollout.partition !== undefined ? formatIntOrPercent(rollout.partition) : 0,
    ...(rollout.paused ? { paused: true } : {}),
    ...(rollout.canarySelector === undefined ? {} : { selector: rollout.canarySelector }),
  };
}

function fromStatus(status: DaemonSetStatus, apiVersion: string): JsonObject {
  return {
    currentNumberScheduled: status.currentNumberScheduled,
    desiredNumberScheduled: status.desiredNumberScheduled,
    ...(status.numberAvailable === 0 ? {} : { numberAvailable: status.numberAvailable }),
    numberMisscheduled: status.numberMisscheduled,
    numberReady: status.numberReady,
    ...(status.numberUnavailable === 0 ? {} : { numberUnavailable: status.numberUnavailable }),
    observedGeneration: status.observedGeneration,
    updatedNumberScheduled: status.updatedNumberScheduled,
    ...(status.collisionCount === undefined ? {} : { collisionCount: status.collisionCount }),
    ...(status.conditions.length === 0 ? {} : { conditions: status.conditions }),
    ...(status.numberUnavailableOnNotReadyNodes === undefined
      ? {}
      : { numberUnavailableOnNotReadyNodes: status.numberUnavailableOnNotReadyNodes }),
    ...(status.updateRevision === undefined || !isKruiseApiVersion(apiVersion)
      ? {}
      : { [apiVersion === KRUISE_V1ALPHA1 ? 'daemonSetHash' : 'updateRevision']: status.updateRevision }),
  };
}

const isEmpty = (record: Readonly<Record<string, string>>): boolean => Object.keys(record).length === 0;
