import type { JsonObject } from '../../../lib/model/daemon-set.js';
import type { ClusterStore } from '../../../lib/ports/cluster-store.js';
import {
  findNode,
  loadControllerRevisions,
  loadDaemonSets,
  loadEvents,
  loadNamespaces,
  loadNodes,
  loadPods,
} from './load-kube-objects.js';

/** One served resource of one group version, as discovery describes it and the routes serve it. */
export type KubeResource = Readonly<{
  /** `''` for the core group. */
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  verbs: readonly string[];
  shortNames?: readonly string[];
  categories?: readonly string[];
  /** The fields `fieldSelector` may name (besides metadata.name and metadata.namespace). */
  fieldLabels: readonly string[];
  /** Every object of the resource, across namespaces. */
  load: (store: ClusterStore) => Promise<JsonObject[]>;
  /** One object by name, without rendering the others (a node of a 10,000-node fleet); `load` is searched without it. */
  find?: (store: ClusterStore, namespace: string | undefined, name: string) => Promise<JsonObject | undefined>;
  /** Which table printer renders it (`kube-tables.ts`). */
  printer: string;
  /** Whether it has a `status` subresource. */
  status?: boolean;
}>;

export const groupVersion = (resource: Pick<KubeResource, 'group' | 'version'>): string =>
  resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;

/** `daemonsets.apps` or `nodes`: how the API server names a resource in messages. */
export const qualifiedResource = (resource: KubeResource): string =>
  resource.group === '' ? resource.plural : `${resource.plural}.${resource.group}`;

const READ = ['get', 'list', 'watch'] as const;
const WRITE = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] as const;

function daemonSets(group: string, version: string): KubeResource {
  const apiVersion = group === 'apps' ? 'apps/v1' : `${group}/${version}`;
  return {
    group,
    version,
    plural: 'daemonsets',
    singular: 'daemonset',
    kind: 'DaemonSet',
    namespaced: true,
    verbs: WRITE,
    ...(group === 'apps' ? { shortNames: ['ds'], categories: ['all'] } : { shortNames: ['daemon', 'ads'] }),
    fieldLabels: [],
    load: async (store) => (await loadDaemonSets(store)).filter((object) => object['apiVersion'] === apiVersion),
    printer: 'daemonsets',
    status: true,
  };
}

/** Everything served, in discovery order. */
export const KUBE_RESOURCES: readonly KubeResource[] = [
  {
    group: '',
    version: 'v1',
    plural: 'events',
    singular: 'event',
    kind: 'Event',
    namespaced: true,
    verbs: READ,
    shortNames: ['ev'],
    fieldLabels: [
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'reason',
      'type',
      'source',
    ],
    load: loadEvents,
    printer: 'events',
  },
  {
    group: '',
    version: 'v1',
    plural: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    namespaced: false,
    verbs: READ,
    shortNames: ['ns'],
    fieldLabels: ['status.phase'],
    load: loadNamespaces,
    printer: 'namespaces',
  },
  {
    group: '',
    version: 'v1',
    plural: 'nodes',
    singular: 'node',
    kind: 'Node',
    namespaced: false,
    verbs: WRITE,
    shortNames: ['no'],
    fieldLabels: ['spec.unschedulable'],
    load: loadNodes,
    find: findNode,
    printer: 'nodes',
  },
  {
    group: '',
    version: 'v1',
    plural: 'pods',
    singular: 'pod',
    kind: 'Pod',
    namespaced: true,
    verbs: [...READ, 'delete'],
    shortNames: ['po'],
    categories: ['all'],
    fieldLabels: ['spec.nodeName', 'status.phase'],
    load: loadPods,
    printer: 'pods',
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'controllerrevisions',
    singular: 'controllerrevision',
    kind: 'ControllerRevision',
    namespaced: true,
    verbs: READ,
    fieldLabels: [],
    load: loadControllerRevisions,
    printer: 'controllerrevisions',
  },
  daemonSets('apps', 'v1'),
  daemonSets('apps.kruise.io', 'v1beta1'),
  daemonSets('apps.kruise.io', 'v1alpha1'),
];

/** The served group versions: core `v1` first, then the named groups with their preferred version first. */
export const SERVED_GROUPS: readonly Readonly<{ name: string; versions: readonly string[] }>[] = [
  { name: 'apps', versions: ['v1'] },
  { name: 'apps.kruise.io', versions: ['v1beta1', 'v1alpha1'] },
];

/** The Kubernetes version everynode speaks (the one its kubectl tests run). */
export const SERVED_VERSION = { major: '1', minor: '32' } as const;
