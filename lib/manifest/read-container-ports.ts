import { duplicateValue, type FieldError, invalidValue, requiredValue, unsupportedValue } from './field-error.js';
import { readInteger, readList, readObject, readString } from './read-json.js';

/** Field paths of the ports a pod would hold on its node, for the hostPort + maxSurge rule. */
export type NodePorts = Readonly<{ hostPorts: readonly string[]; containerPorts: readonly string[] }>;

/** Where a pod's ports are collected while its containers are read. */
export type PortCollector = { hostPorts: string[]; containerPorts: string[] };

const PROTOCOLS: readonly string[] = ['SCTP', 'TCP', 'UDP'];
const PORT_RANGE = 'must be between 1 and 65535, inclusive';

/**
 * Validates one container's `ports` (at `path`) as Kubernetes `validateContainerPorts` does: a container
 * port in range, a valid host port (equal to the container port with `hostNetwork`), a known protocol, and
 * names that are valid IANA service names and unique within the container.
 */
export function readContainerPorts(
  value: unknown,
  path: string,
  hostNetwork: boolean,
  ports: PortCollector,
  errors: FieldError[],
): void {
  const names = new Set<string>();
  (readList(value, path, errors) ?? []).forEach((entry, index) => {
    const portPath = `${path}[${index}]`;
    const port = readObject(entry, portPath, errors) ?? {};
    const name = readString(port['name'], `${portPath}.name`, errors) ?? '';
    if (name !== '') {
      const messages = portNameErrors(name);
      for (const message of messages) errors.push(invalidValue(`${portPath}.name`, name, message));
      if (messages.length === 0 && names.has(name)) errors.push(duplicateValue(`${portPath}.name`, name));
      names.add(name);
    }
    const containerPort = readInteger(port['containerPort'], `${portPath}.containerPort`, errors) ?? 0;
    const hostPort = readInteger(port['hostPort'], `${portPath}.hostPort`, errors) ?? 0;
    const protocol = readString(port['protocol'], `${portPath}.protocol`, errors);
    if (containerPort === 0) errors.push(requiredValue(`${portPath}.containerPort`));
    else if (!isPortNumber(containerPort))
      errors.push(invalidValue(`${portPath}.containerPort`, containerPort, PORT_RANGE));
    else ports.containerPorts.push(`${portPath}.containerPort`);
    if (hostPort !== 0) {
      if (!isPortNumber(hostPort)) errors.push(invalidValue(`${portPath}.hostPort`, hostPort, PORT_RANGE));
      else ports.hostPorts.push(`${portPath}.hostPort`);
      if (hostNetwork && hostPort !== containerPort) {
        errors.push(
          invalidValue(`${portPath}.hostPort`, hostPort, 'must match `containerPort` when `hostNetwork` is true'),
        );
      }
    }
    if (protocol !== undefined && !PROTOCOLS.includes(protocol)) {
      errors.push(unsupportedValue(`${portPath}.protocol`, protocol, PROTOCOLS));
    }
  });
}

/** Kubernetes `IsValidPortName` (an IANA service name), with its messages. */
export function portNameErrors(name: string): string[] {
  const errors: string[] = [];
  if (name.length > 15) errors.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name)) errors.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) errors.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errors.push('must not contain consecutive hyphens (-)');
  if (name.startsWith('-') || name.endsWith('-')) errors.push('must not begin or end with a hyphen (-)');
  return errors;
}

const isPortNumber = (port: number): boolean => port >= 1 && port <= 65535;
