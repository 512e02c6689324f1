import { labelSelectorMatches } from '../../lib/labels/label-selector-matches.js';
import { LabelSelectorSyntaxError, parseLabelSelector } from '../../lib/labels/parse-label-selector.js';
import type { LabelSelector } from '../../lib/model/daemon-set.js';
import { connect } from '../api/api-client.js';
import { CliError, EXIT_CODES } from '../cli-error.js';
import type { ConnectionOptions } from '../command-options.js';
import { formatDaemonSets } from '../output/format-daemon-sets.js';
import { formatEvents } from '../output/format-events.js';
import { formatNodes } from '../output/format-nodes.js';
import { formatObjects, toListObject } from '../output/format-objects.js';
import { formatPods } from '../output/format-pods.js';
import { formatRejections } from '../output/format-rejections.js';
import { itemsOf, type KubeObject, labelsOf, nameOf, namespaceOf, stringAt } from '../output/kube-object.js';
import { parseResourceReference, type ResourceKind } from '../resource-kind.js';

export type GetOptions = Readonly<{
  namespace?: string;
  allNamespaces?: boolean;
  selector?: string;
  output?: 'wide' | 'json' | 'yaml';
}> &
  ConnectionOptions;

const LIST_PATHS: Readonly<Record<ResourceKind, string>> = {
  daemonsets: '/v1/daemonsets',
  nodes: '/v1/nodes',
  pods: '/v1/pods',
  rejections: '/v1/rejections',
  events: '/v1/events',
};

/** How kubectl names each kind in "not found" messages. */
export const QUALIFIED_KIND: Readonly<Record<ResourceKind, string>> = {
  daemonsets: 'daemonsets.apps',
  nodes: 'nodes',
  pods: 'pods',
  rejections: 'rejections',
  events: 'events',
};

const NAMESPACED: ReadonlySet<ResourceKind> = new Set(['daemonsets', 'pods', 'events']);

/**
 * `everynode get <resource> [name]`: kubectl's columns, or Kubernetes `List` objects with `-o json|yaml`
 * (one object when a name is given). Without `-n`, namespaced resources are listed across all namespaces.
 */
export async function runGet(resource: string, name: string | undefined, options: GetOptions): Promise<void> {
  const reference = parseResourceReference(resource, name);
  const selector = selectorOf(options.selector);
  const namespace = options.allNamespaces ? undefined : options.namespace;
  const listed = itemsOf(await connect(options).get(LIST_PATHS[reference.kind]));
  const items = listed
    .filter((item) => namespace === undefined || !NAMESPACED.has(reference.kind) || namespaceOf(item) === namespace)
    .filter((item) => reference.name === undefined || identify(reference.kind, item) === reference.name)
    .filter((item) => labelSelectorMatches(selector, labelsOf(item)))
    .toSorted((a, b) => sortKey(reference.kind, a).localeCompare(sortKey(reference.kind, b)));
  if (reference.name !== undefined && items.length === 0) {
    throw new CliError(
      `Error from server (NotFound): ${QUALIFIED_KIND[reference.kind]} "${reference.name}" not found`,
      EXIT_CODES.failure,
    );
  }
  if (options.output === 'json' || options.output === 'yaml') {
    const single = reference.name !== undefined && items.length === 1 ? items[0] : undefined;
    process.stdout.write(`${formatObjects(options.output, single ?? toListObject(items))}\n`);
    return;
  }
  if (items.length === 0) {
    const where = namespace !== undefined && NAMESPACED.has(reference.kind) ? ` in ${namespace} namespace` : '';
    process.stderr.write(`No resources found${where}.\n`);
    return;
  }
  process.stdout.write(`${formatItems(reference.kind, items, options, namespace === undefined)}\n`);
}

function formatItems(kind: ResourceKind, items: readonly KubeObject[], options: GetOptions, allNamespaces: boolean) {
  const wide = options.output === 'wide';
  const now = Date.now();
  switch (kind) {
    case 'daemonsets':
      return formatDaemonSets(items, wide, now);
    case 'nodes':
      return formatNodes(items, wide, now);
    case 'pods':
      return formatPods(items, { wide, withNamespace: allNamespaces, now });
    case 'rejections':
      return formatRejections(items, wide, now);
    case 'events':
      return formatEvents(items, { withNamespace: allNamespaces, now });
  }
}

/** Rejections have no metadata: they are named by their id. */
function identify(kind: ResourceKind, item: KubeObject): string {
  return kind === 'rejections' ? (stringAt(item, 'id') ?? '') : nameOf(item);
}

/** Rejections by time, events oldest first as kubectl sorts them, the others by namespace and name. */
function sortKey(kind: ResourceKind, item: KubeObject): string {
  if (kind === 'rejections') return stringAt(item, 'time') ?? '';
  if (kind === 'events') return `${stringAt(item, 'lastTimestamp') ?? ''}/${nameOf(item)}`;
  return `${namespaceOf(item)}/${nameOf(item)}`;
}

function selectorOf(text: string | undefined): LabelSelector {
  try {
    return parseLabelSelector(text ?? '');
  } catch (error) {
    if (error instanceof LabelSelectorSyntaxError) {
      throw new CliError(`error: ${error.message}`, EXIT_CODES.invalidInput, { cause: error });
    }
    throw error;
  }
}
