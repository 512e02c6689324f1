import { dns1123LabelErrors } from '../labels/label-syntax.js';
import type { JsonObject } from '../model/daemon-set.js';
import { duplicateValue, type FieldError, invalidValue, requiredValue, unsupportedValue } from './field-error.js';
import { readInteger, readList, readObject, readString } from './read-json.js';

/** Field paths of the ports a pod would hold on its node, for the hostPort + maxSurge rule. */
export type NodePorts = Readonly<{ hostPorts: readonly string[]; containerPorts: readonly string[] }>;

const PROTOCOLS: readonly string[] = ['SCTP', 'TCP', 'UDP'];
const PORT_RANGE = 'must be between 1 and 65535, inclusive';

/**
 * Validates `containers` (at least one) and `initContainers` of a pod spec as Kubernetes
 * `validateContainers` does for what everynode relies on: unique DNS-label names, an image, valid ports.
 * Returns where host ports are declared so the caller can refuse surge on them.
 */
export function readContainers(spec: JsonObject, path: string, hostNetwork: boolean, errors: FieldError[]): NodePorts {
  const ports = { hostPorts: [] as string[], containerPorts: [] as string[] };
  const names = new Set<string>();
  const containers = readList(spec['containers'], `${path}.containers`, errors) ?? [];
  if (containers.length === 0) errors.push(requiredValue(`${path}.containers`));
  containers.forEach((container, index) => {
    readContainer(container, `${path}.containers[${index}]`, { hostNetwork, names, ports }, errors);
  });
  (readList(spec['initContainers'], `${path}.initContainers`, errors) ?? []).forEach((container, index) => {
    readContainer(container, `${path}.initContainers[${index}]`, { hostNetwork, names, ports }, errors);
  });
  return ports;
}

type ContainerContext = Readonly<{
  hostNetwork: boolean;
  names: Set<string>;
  ports: { hostPorts: string[]; containerPorts: string[] };
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
  (readList(container['ports'], `${path}.ports`, errors) ?? []).forEach((port, index) => {
    readPort(port, `${path}.ports[${index}]`, context, errors);
  });
}

function readPort(value: unknown, path: string, context: ContainerContext, errors: FieldError[]): void {
  const port = readObject(value, path, errors) ?? {};
  const containerPort = readInteger(port['containerPort'], `${path}.containerPort`, errors) ?? 0;
  const hostPort = readInteger(port['hostPort'], `${path}.hostPort`, errors) ?? 0;
  const protocol = readString(port['protocol'], `${path}.protocol`, errors);
  if (containerPort === 0) errors.push(requiredValue(`${path}.containerPort`));
  else if (!isPortNumber(containerPort)) errors.push(invalidValue(`${path}.containerPort`, containerPort, PORT_RANGE));
  else context.ports.containerPorts.push(`${path}.containerPort`);
  if (hostPort !== 0) {
    if (!isPortNumber(hostPort)) errors.push(invalidValue(`${path}.hostPort`, hostPort, PORT_RANGE));
    else context.ports.hostPorts.push(`${path}.hostPort`);
    if (context.hostNetwork && hostPort !== containerPort) {
      errors.push(invalidValue(`${path}.hostPort`, hostPort, 'must match `containerPort` when `hostNetwork` is true'));
    }
  }
  if (protocol !== undefined && !PROTOCOLS.includes(protocol)) {
    errors.push(unsupportedValue(`${path}.protocol`, protocol, PROTOCOLS));
  }
}

const isPortNumber = (port: number): boolean => port >= 1 && port <= 65535;
