import { dns1123LabelErrors } from '../labels/label-syntax.js';
import type { JsonObject } from '../model/daemon-set.js';
import {
  duplicateValue,
  type FieldError,
  invalidValue,
  notFoundValue,
  requiredValue,
  unsupportedValue,
} from './field-error.js';
import { type NodePorts, type PortCollector, readContainerPorts } from './read-container-ports.js';
import { readList, readObject, readString } from './read-json.js';
import { readResources } from './read-resources.js';

/** `supportedPullPolicies`, sorted as the API server lists them. */
const PULL_POLICIES: readonly string[] = ['Always', 'IfNotPresent', 'Never'];

/**
 * Validates `containers` (at least one) and `initContainers` of a pod spec as Kubernetes
 * `validateContainers` does for what everynode relies on and what manifests commonly get wrong: unique
 * DNS-label names, an image, a known `imagePullPolicy`, valid ports, volume mounts that name a volume of
 * the pod (`volumes`) at unique paths, and resources. Returns where host ports are declared so the caller
 * can refuse surge on them.
 */
export function readContainers(
  spec: JsonObject,
  path: string,
  context: Readonly<{ hostNetwork: boolean; volumes: ReadonlySet<string> }>,
  errors: FieldError[],
): NodePorts {
  const ports: PortCollector = { hostPorts: [], containerPorts: [] };
  const names = new Set<string>();
  const containers = readList(spec['containers'], `${path}.containers`, errors) ?? [];
  if (containers.length === 0) errors.push(requiredValue(`${path}.containers`));
  const read = { ...context, names, ports };
  containers.forEach((container, index) => {
    readContainer(container, `${path}.containers[${index}]`, read, errors);
  });
  (readList(spec['initContainers'], `${path}.initContainers`, errors) ?? []).forEach((container, index) => {
    readContainer(container, `${path}.initContainers[${index}]`, read, errors);
  });
  return ports;
}

type ContainerContext = Readonly<{
  hostNetwork: boolean;
  volumes: ReadonlySet<string>;
  names: Set<string>;
  ports: PortCollector;
}>;

function readContainer(value: unknown, path: string, context: ContainerContext, errors: FieldError[]): void {
  const container = readObject(value, path, errors) ?? {};
  const name = readString(container['name'], `${path}.name`, errors) ?? '';
  if (name === '') errors.push(requiredValue(`${path}.name`));
  else for (const message of dns1123LabelErrors(name)) errors.push(invalidValue(`${path}.name`, name, message));
  if (name !== '' && context.names.has(name)) errors.push(duplicateValue(`${path}.name`, name));
  context.names.add(name);
  if ((readString(container['image'], `${path}.image`, errors) ?? '') === '')
    errors.push(requiredValue(`${path}.image`));
  const pullPolicy = readString(container['imagePullPolicy'], `${path}.imagePullPolicy`, errors);
  if (pullPolicy !== undefined && !PULL_POLICIES.includes(pullPolicy)) {
    errors.push(unsupportedValue(`${path}.imagePullPolicy`, pullPolicy, PULL_POLICIES));
  }
  readContainerPorts(container['ports'], `${path}.ports`, context.hostNetwork, context.ports, errors);
  readVolumeMounts(container['volumeMounts'], `${path}.volumeMounts`, context.volumes, errors);
  readResources(container['resources'], `${path}.resources`, errors);
}

/** Kubernetes `ValidateVolumeMounts`: each mount names a volume of the pod, at a path no other mount uses. */
function readVolumeMounts(value: unknown, path: string, volumes: ReadonlySet<string>, errors: FieldError[]): void {
  const mountPaths = new Set<string>();
  (readList(value, path, errors) ?? []).forEach((entry, index) => {
    const mountPath = `${path}[${index}]`;
    const mount = readObject(entry, mountPath, errors) ?? {};
    const name = readString(mount['name'], `${mountPath}.name`, errors) ?? '';
    if (name === '') errors.push(requiredValue(`${mountPath}.name`));
    if (!volumes.has(name)) errors.push(notFoundValue(`${mountPath}.name`, name));
    const target = readString(mount['mountPath'], `${mountPath}.mountPath`, errors) ?? '';
    if (target === '') errors.push(requiredValue(`${mountPath}.mountPath`));
    else if (mountPaths.has(target)) errors.push(invalidValue(`${mountPath}.mountPath`, target, 'must be unique'));
    mountPaths.add(target);
  });
}
