import type { PodTemplate } from '../model/daemon-set.js';
import type { PlacementSpec } from '../model/pod-spec.js';
import { type FieldError, forbiddenValue, unsupportedValue } from './field-error.js';
import { type NodePorts, readContainers } from './read-containers.js';
import { readObject, readString, readStringMap } from './read-json.js';
import { validateLabels } from './read-object-meta.js';
import { readPlacement } from './read-placement.js';

export type ReadPodTemplate = Readonly<{ template: PodTemplate; placement: PlacementSpec; ports: NodePorts }>;

/**
 * Reads a DaemonSet's `spec.template` (at `path`): keeps its labels, annotations and whole `spec` as JSON
 * with `restartPolicy` defaulted to `Always`, and validates what the DaemonSet rules require (restartPolicy
 * Always, no activeDeadlineSeconds, containers) plus the placement fields.
 */
export function readPodTemplate(value: unknown, path: string, errors: FieldError[]): ReadPodTemplate {
  const template = readObject(value, path, errors) ?? {};
  const metadata = readObject(template['metadata'], `${path}.metadata`, errors) ?? {};
  const labels = readStringMap(metadata['labels'], `${path}.metadata.labels`, errors) ?? {};
  validateLabels(labels, `${path}.metadata.labels`, errors);
  const annotations = readStringMap(metadata['annotations'], `${path}.metadata.annotations`, errors) ?? {};
  const specPath = `${path}.spec`;
  const spec = readObject(template['spec'], specPath, errors) ?? {};
  const restartPolicy = readString(spec['restartPolicy'], `${specPath}.restartPolicy`, errors) ?? 'Always';
  if (restartPolicy !== 'Always') errors.push(unsupportedValue(`${specPath}.restartPolicy`, restartPolicy, ['Always']));
  if (spec['activeDeadlineSeconds'] !== undefined && spec['activeDeadlineSeconds'] !== null) {
    errors.push(
      forbiddenValue(`${specPath}.activeDeadlineSeconds`, 'activeDeadlineSeconds in DaemonSet is not Supported'),
    );
  }
  const placement = readPlacement(spec, specPath, errors);
  return {
    template: { metadata: { labels, annotations }, spec: { ...spec, restartPolicy } },
    placement,
    ports: readContainers(spec, specPath, placement.hostNetwork, errors),
  };
}
