import { labelSelectorMatches } from '../labels/label-selector-matches.js';
import type { DaemonSet, UpdateStrategy } from '../model/daemon-set.js';
import { DAEMON_SET_SHAPE, KRUISE_DAEMON_SET_SHAPE } from './daemon-set-schema.js';
import {
  type FieldError,
  forbiddenValue,
  invalidValue,
  toValidated,
  unknownField,
  type Validated,
} from './field-error.js';
import type { NodePorts } from './read-container-ports.js';
import { isJsonObject, readInteger, readObject } from './read-json.js';
import { readKruiseRollout } from './read-kruise-rollout.js';
import { readLabelSelector } from './read-label-selector.js';
import { readObjectMeta } from './read-object-meta.js';
import { readPodTemplate } from './read-pod-template.js';
import { readRolloutControls } from './read-rollout-controls.js';
import { readStartupGate } from './read-startup-gate.js';
import { DAEMON_SET_API_VERSIONS, isKruiseApiVersion, readTypeMeta } from './read-type-meta.js';
import { readUpdateStrategy } from './read-update-strategy.js';
import { unknownFields } from './unknown-fields.js';

export type ToDaemonSetOptions = Readonly<{
  /**
   * Refuse fields a DaemonSet does not have, as kubectl's default strict field validation does
   * (`strict decoding error: unknown field "spec.replicas"`). On for what users send (the CLI, the API);
   * off where everynode reads back objects it rendered itself.
   */
  strict?: boolean;
}>;

/**
 * Converts a decoded `apps/v1` (or OpenKruise `apps.kruise.io/v1alpha1|v1beta1`) DaemonSet manifest into
 * the model: applies the API's defaults, then validates it as the API server would, reporting every error
 * with its Kubernetes field path. Fields everynode does not use (status, managedFields) are ignored, and so
 * are unknown fields unless `strict`. The `everynode.io/...` rollout annotations are consumed into `rollout`
 * and left out of `annotations`.
 *
 * A manifest of another kind or an apiVersion no server serves is refused with that error alone: the API
 * server never decodes it, so it never validates the rest.
 *
 * A missing selector matches nothing (`LabelSelectorAsSelector(nil)`), so, as on the API server, it is
 * reported as the template labels the selector does not match.
 *
 * Beyond Kubernetes: a container `hostPort` (or `hostNetwork` with container ports) together with
 * `maxSurge > 0` is rejected, because the surge pod can never bind the port and the rollout deadlocks
 * (kubernetes/kubernetes#106417).
 *
 * @example
 * const result = toDaemonSet(readManifests(text, 'fluentd.yaml')[0]?.object);
 * if (!result.ok) console.error(result.errors.map(formatFieldError).join('\n'));
 */
export function toDaemonSet(object: unknown, options: ToDaemonSetOptions = {}): Validated<DaemonSet> {
  const errors: FieldError[] = [];
  const manifest = isJsonObject(object) ? object : {};
  if (!isJsonObject(object)) errors.push(invalidValue('<root>', object, 'must be a Kubernetes object'));
  const typed = readTypeMeta(manifest, 'DaemonSet', DAEMON_SET_API_VERSIONS, errors);
  if (errors.length > 0) return { ok: false, errors };
  const apiVersion = typed ?? 'apps/v1';
  if (options.strict) {
    const shape = isKruiseApiVersion(apiVersion) ? KRUISE_DAEMON_SET_SHAPE : DAEMON_SET_SHAPE;
    errors.push(...unknownFields(manifest, shape).map(unknownField));
  }
  const metadata = readObjectMeta(manifest['metadata'], true, errors);
  const spec = readObject(manifest['spec'], 'spec', errors) ?? {};
  const selector = readLabelSelector(spec['selector'], 'spec.selector', errors);
  const { template, placement, ports } = readPodTemplate(spec['template'], 'spec.template', errors);
  if (spec['selector'] === undefined || spec['selector'] === null) {
    errors.push(
      invalidValue(
        'spec.template.metadata.labels',
        template.metadata.labels,
        '`selector` does not match template `labels`',
      ),
    );
  } else if (selector !== undefined && Object.keys(selector).length === 0) {
    errors.push(invalidValue('spec.selector', spec['selector'], 'empty selector is invalid for daemonset'));
  } else if (selector !== undefined && !labelSelectorMatches(selector, template.metadata.labels)) {
    errors.push(
      invalidValue(
        'spec.template.metadata.labels',
        template.metadata.labels,
        '`selector` does not match template `labels`',
      ),
    );
  }
  const minReadySeconds = readNonNegative(spec['minReadySeconds'], 'spec.minReadySeconds', errors) ?? 0;
  const { strategy, rollingUpdate } = readUpdateStrategy(spec['updateStrategy'], apiVersion, errors);
  const revisionHistoryLimit = readNonNegative(spec['revisionHistoryLimit'], 'spec.revisionHistoryLimit', errors) ?? 10;
  rejectSurgeOnNodePorts(strategy, ports, placement.hostNetwork, errors);
  const native = isKruiseApiVersion(apiVersion)
    ? readKruiseRollout(spec, rollingUpdate, apiVersion, strategy?.type === 'RollingUpdate', errors)
    : {};
  const { rollout, annotations } = readRolloutControls(metadata.annotations, native, minReadySeconds, errors);
  const startupCritical = readStartupGate(annotations, errors) !== undefined;
  // Without errors the selector and strategy were read; the fallbacks only satisfy the types.
  return toValidated(errors, () => ({
    namespace: metadata.namespace ?? 'default',
    name: metadata.name,
    apiVersion,
    labels: metadata.labels,
    annotations,
    generation: metadata.generation ?? 1,
    ...(metadata.creationTimestamp === undefined ? {} : { creationTimestamp: metadata.creationTimestamp }),
    ...(metadata.deletionTimestamp === undefined ? {} : { deletionTimestamp: metadata.deletionTimestamp }),
    selector: selector ?? {},
    template,
    placement: startupCritical ? { ...placement, startupCritical } : placement,
    updateStrategy: strategy ?? { type: 'OnDelete' },
    minReadySeconds,
    revisionHistoryLimit,
    rollout,
  }));
}

/** Kubernetes `ValidateNonnegativeField`. */
function readNonNegative(value: unknown, path: string, errors: FieldError[]): number | undefined {
  const number = readInteger(value, path, errors);
  if (number === undefined || number >= 0) return number;
  errors.push(invalidValue(path, number, 'must be greater than or equal to 0'));
  return undefined;
}

function rejectSurgeOnNodePorts(
  strategy: UpdateStrategy | undefined,
  ports: NodePorts,
  hostNetwork: boolean,
  errors: FieldError[],
): void {
  if (strategy?.type !== 'RollingUpdate') return;
  const surge = typeof strategy.maxSurge === 'number' ? strategy.maxSurge : strategy.maxSurge.percent;
  if (surge === 0) return;
  const held = hostNetwork ? ports.containerPorts : ports.hostPorts;
  const first = held[0];
  if (first === undefined) return;
  const what = hostNetwork ? `${first} with \`hostNetwork: true\`` : first;
  errors.push(
    forbiddenValue(
      'spec.updateStrategy.rollingUpdate.maxSurge',
      `may not be non-zero while ${what} holds a port on the node: the surge pod can never bind it while the old pod runs, so the rollout deadlocks (kubernetes/kubernetes#106417); use maxUnavailable instead`,
    ),
  );
}
