import { CliError, EXIT_CODES } from './cli-error.js';

/** The resources the CLI knows, by their plural name as kubectl prints them in errors. */
export type ResourceKind = 'daemonsets' | 'nodes' | 'pods' | 'rejections' | 'events';

const ALIASES: Readonly<Record<string, ResourceKind>> = {
  ds: 'daemonsets',
  daemonset: 'daemonsets',
  daemonsets: 'daemonsets',
  'daemonset.apps': 'daemonsets',
  'daemonsets.apps': 'daemonsets',
  no: 'nodes',
  node: 'nodes',
  nodes: 'nodes',
  po: 'pods',
  pod: 'pods',
  pods: 'pods',
  rejection: 'rejections',
  rejections: 'rejections',
  ev: 'events',
  event: 'events',
  events: 'events',
};

/** A resource reference from the command line: `ds`, `ds fluentd`, or `daemonset/fluentd`. */
export type ResourceReference = Readonly<{ kind: ResourceKind; name?: string }>;

/**
 * Resolves kubectl's resource aliases (`ds`, `daemonset`, `no`, `po`...) and the `kind/name` form.
 * `allowed` limits the kinds a command accepts; anything else is a usage error (exit 2).
 *
 * @example
 * parseResourceReference('daemonset/fluentd-logger'); // { kind: 'daemonsets', name: 'fluentd-logger' }
 */
export function parseResourceReference(
  resource: string,
  name?: string,
  allowed: readonly ResourceKind[] = ['daemonsets', 'nodes', 'pods', 'rejections', 'events'],
): ResourceReference {
  const slash = resource.indexOf('/');
  const typed = slash === -1 ? resource : resource.slice(0, slash);
  const inlineName = slash === -1 ? undefined : resource.slice(slash + 1);
  const kind = ALIASES[typed.toLowerCase()];
  if (kind === undefined || !allowed.includes(kind)) {
    throw new CliError(
      `the server doesn't have a resource type "${typed}" (expected one of: ${allowed.join(', ')})`,
      EXIT_CODES.invalidInput,
    );
  }
  if (inlineName !== undefined && name !== undefined) {
    throw new CliError(
      'there is no need to specify a resource type as a separate argument when passing arguments in resource/name form',
      EXIT_CODES.invalidInput,
    );
  }
  const resolvedName = inlineName ?? name;
  if (resolvedName === '') throw new CliError(`${resource}: a resource name is required`, EXIT_CODES.invalidInput);
  return resolvedName === undefined ? { kind } : { kind, name: resolvedName };
}
