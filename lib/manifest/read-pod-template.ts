import { dns1123SubdomainErrors } from '../labels/label-syntax.js';
import type { JsonObject, PodTemplate } from '../model/daemon-set.js';
import type { PlacementSpec } from '../model/pod-spec.js';
import { type FieldError, forbiddenValue, invalidValue, unsupportedValue } from './field-error.js';
import type { NodePorts } from './read-container-ports.js';
import { readContainers } from './read-containers.js';
import { readObject, readString, readStringMap } from './read-json.js';
import { validateAnnotations, validateLabels } from './read-object-meta.js';
import { readPlacement } from './read-placement.js';
import { readVolumes } from './read-volumes.js';

export type ReadPodTemplate = Readonly<{ template: PodTemplate; placement: PlacementSpec; ports: NodePorts }>;

/**
 * Reads a DaemonSet's `spec.template` (at `path`): keeps its labels, annotations and whole `spec` as JSON
 * with `restartPolicy` defaulted to `Always`, and validates it as Kubernetes `ValidatePodTemplateSpec` and
 * the DaemonSet rules do for what manifests carry: restartPolicy Always, no activeDeadlineSeconds, labels,
 * annotations, dnsPolicy, priorityClassName, serviceAccountName, volumes, containers, placement fields.
 */
export function readPodTemplate(value: unknown, path: string, errors: FieldError[]): ReadPodTemplate {
  const template = readObject(value, path, errors) ?? {};
  const metadata = readObject(template['metadata'], `${path}.metadata`, errors) ?? {};
  const labels = readStringMap(metadata['labels'], `${path}.metadata.labels`, errors) ?? {};
  validateLabels(labels, `${path}.metadata.labels`, errors);
  const annotations = readStringMap(metadata['annotations'], `${path}.metadata.annotations`, errors) ?? {};
  validateAnnotations(annotations, `${path}.metadata.annotations`, errors);
  const specPath = `${path}.spec`;
  const spec = readObject(template['spec'], specPath, errors) ?? {};
  const restartPolicy = readString(spec['restartPolicy'], `${specPath}.restartPolicy`, errors) ?? 'Always';
  if (restartPolicy !== 'Always') errors.push(unsupportedValue(`${specPath}.restartPolicy`, restartPolicy, ['Always']));
  if (spec['activeDeadlineSeconds'] !== undefined && spec['activeDeadlineSeconds'] !== null) {
    errors.push(
      forbiddenValue(`${specPath}.activeDeadlineSeconds`, 'activeDeadlineSeconds in DaemonSet is not Supported'),
    );
  }
  readPodSpecNames(spec, specPath, errors);
  const placement = readPlacement(spec, specPath, errors);
  const volumes = readVolumes(spec['volumes'], `${specPath}.volumes`, errors);
  return {
    template: { metadata: { labels, annotations }, spec: { ...spec, restartPolicy } },
    placement,
    ports: readContainers(spec, specPath, { hostNetwork: placement.hostNetwork, volumes }, errors),
  };
}

/** The DNS policies `validateDNSPolicy` accepts, in the order it lists them. */
const DNS_POLICIES: readonly string[] = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];

/** `ValidatePodSpec` on `dnsPolicy`, `priorityClassName` and `serviceAccountName` (both DNS subdomains). */
function readPodSpecNames(spec: JsonObject, path: string, errors: FieldError[]): void {
  const dnsPolicy = readString(spec['dnsPolicy'], `${path}.dnsPolicy`, errors);
  if (dnsPolicy !== undefined && !DNS_POLICIES.includes(dnsPolicy)) {
    errors.push(unsupportedValue(`${path}.dnsPolicy`, dnsPolicy, DNS_POLICIES));
  }
  for (const field of ['priorityClassName', 'serviceAccountName']) {
    const name = readString(spec[field], `${path}.${field}`, errors) ?? '';
    if (name === '') continue;
    for (const message of dns1123SubdomainErrors(name)) errors.push(invalidValue(`${path}.${field}`, name, message));
  }
}
