import { LabelSelectorSyntaxError, parseLabelSelector } from '../labels/parse-label-selector.js';
import {
  DEFAULT_BURST_REPLICAS,
  type IntOrPercent,
  type LabelSelector,
  type RolloutControls,
} from '../model/daemon-set.js';
import {
  AUTO_REVERT_ANNOTATION,
  annotationPath,
  BURST_REPLICAS_ANNOTATION,
  CANARY_SELECTOR_ANNOTATION,
  FROZEN_ANNOTATION,
  isRolloutAnnotation,
  NOT_READY_AWARE_ANNOTATION,
  PARTITION_ANNOTATION,
  PAUSED_ANNOTATION,
  PROGRESS_DEADLINE_SECONDS_ANNOTATION,
} from './everynode-annotations.js';
import { type FieldError, forbiddenValue, invalidValue } from './field-error.js';
import { NATIVE_ROLLOUT_FIELDS, type NativeRollout } from './read-kruise-rollout.js';

export type ReadRolloutControls = Readonly<{
  rollout: RolloutControls;
  /** The DaemonSet's annotations without the everynode rollout annotations, which now live in `rollout`. */
  annotations: Readonly<Record<string, string>>;
}>;

type Annotations = Readonly<Record<string, string>>;

/**
 * Builds the rollout controls from OpenKruise fields (`native`) and `everynode.io/...` annotations, validating
 * each annotation at `metadata.annotations[<name>]`. Setting a control both ways is an error.
 */
export function readRolloutControls(
  annotations: Annotations,
  native: NativeRollout,
  minReadySeconds: number,
  errors: FieldError[],
): ReadRolloutControls {
  const rejectBoth = (name: string, field: keyof NativeRollout): void => {
    if (annotations[name] !== undefined && native[field] !== undefined) {
      errors.push(
        forbiddenValue(annotationPath(name), `may not be set together with \`${NATIVE_ROLLOUT_FIELDS[field]}\``),
      );
    }
  };
  rejectBoth(PAUSED_ANNOTATION, 'paused');
  rejectBoth(PARTITION_ANNOTATION, 'partition');
  rejectBoth(CANARY_SELECTOR_ANNOTATION, 'canarySelector');
  rejectBoth(BURST_REPLICAS_ANNOTATION, 'burstReplicas');
  const partition = native.partition ?? readPartition(annotations, errors);
  const canarySelector = native.canarySelector ?? readCanarySelector(annotations, errors);
  const progressDeadlineSeconds = readProgressDeadline(annotations, minReadySeconds, errors);
  const autoRevert = readFlag(annotations, AUTO_REVERT_ANNOTATION, errors);
  if (autoRevert && annotations[PROGRESS_DEADLINE_SECONDS_ANNOTATION] === undefined) {
    errors.push(
      invalidValue(
        annotationPath(AUTO_REVERT_ANNOTATION),
        annotations[AUTO_REVERT_ANNOTATION],
        `requires \`${PROGRESS_DEADLINE_SECONDS_ANNOTATION}\`: a rollout is reverted only once it misses its progress deadline`,
      ),
    );
  }
  const rollout: RolloutControls = {
    paused: native.paused ?? readFlag(annotations, PAUSED_ANNOTATION, errors),
    frozen: readFlag(annotations, FROZEN_ANNOTATION, errors),
    ...(partition === undefined ? {} : { partition }),
    ...(canarySelector === undefined ? {} : { canarySelector }),
    ...(progressDeadlineSeconds === undefined ? {} : { progressDeadlineSeconds }),
    autoRevert,
    notReadyAware: readFlag(annotations, NOT_READY_AWARE_ANNOTATION, errors),
    burstReplicas: native.burstReplicas ?? readBurstReplicas(annotations, errors) ?? DEFAULT_BURST_REPLICAS,
  };
  return { rollout, annotations: withoutRolloutAnnotations(annotations) };
}

/** The annotations that are not rollout controls. */
export function withoutRolloutAnnotations(annotations: Annotations): Record<string, string> {
  return Object.fromEntries(Object.entries(annotations).filter(([name]) => !isRolloutAnnotation(name)));
}

function readFlag(annotations: Annotations, name: string, errors: FieldError[]): boolean {
  const value = annotations[name];
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  errors.push(invalidValue(annotationPath(name), value, 'must be "true" or "false"'));
  return false;
}

function readPartition(annotations: Annotations, errors: FieldError[]): IntOrPercent | undefined {
  const value = annotations[PARTITION_ANNOTATION];
  if (value === undefined) return undefined;
  const match = /^([0-9]+)(%?)$/.exec(value);
  const amount = Number(match?.[1]);
  if (match === null || !Number.isSafeInteger(amount)) {
    errors.push(
      invalidValue(
        annotationPath(PARTITION_ANNOTATION),
        value,
        'must be an integer >= 0 or a percentage such as "20%"',
      ),
    );
    return undefined;
  }
  if (match[2] === '%' && amount > 100) {
    errors.push(invalidValue(annotationPath(PARTITION_ANNOTATION), value, 'must not be greater than 100%'));
    return undefined;
  }
  if (amount === 0) return undefined;
  return match[2] === '%' ? { percent: amount } : amount;
}

function readCanarySelector(annotations: Annotations, errors: FieldError[]): LabelSelector | undefined {
  const value = annotations[CANARY_SELECTOR_ANNOTATION];
  if (value === undefined) return undefined;
  const path = annotationPath(CANARY_SELECTOR_ANNOTATION);
  if (value.trim() === '') {
    errors.push(invalidValue(path, value, 'must select some nodes; leave the annotation out to update every node'));
    return undefined;
  }
  try {
    return parseLabelSelector(value);
  } catch (error) {
    if (!(error instanceof LabelSelectorSyntaxError)) throw error;
    errors.push(invalidValue(path, value, error.reason));
    return undefined;
  }
}

function readProgressDeadline(
  annotations: Annotations,
  minReadySeconds: number,
  errors: FieldError[],
): number | undefined {
  const value = annotations[PROGRESS_DEADLINE_SECONDS_ANNOTATION];
  if (value === undefined) return undefined;
  const path = annotationPath(PROGRESS_DEADLINE_SECONDS_ANNOTATION);
  const seconds = readPositiveInteger(value);
  if (seconds === undefined) {
    errors.push(invalidValue(path, value, 'must be an integer number of seconds greater than 0'));
    return undefined;
  }
  if (seconds <= minReadySeconds) {
    errors.push(invalidValue(path, value, 'must be greater than minReadySeconds'));
    return undefined;
  }
  return seconds;
}

function readBurstReplicas(annotations: Annotations, errors: FieldError[]): number | undefined {
  const value = annotations[BURST_REPLICAS_ANNOTATION];
  if (value === undefined) return undefined;
  const burstReplicas = readPositiveInteger(value);
  if (burstReplicas === undefined) {
    errors.push(
      invalidValue(annotationPath(BURST_REPLICAS_ANNOTATION), value, 'must be an integer greater than or equal to 1'),
    );
  }
  return burstReplicas;
}

function readPositiveInteger(value: string): number | undefined {
  const number = /^[0-9]+$/.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(number) && number > 0 ? number : undefined;
}
