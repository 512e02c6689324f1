import { fromDaemonSet } from '../../../lib/manifest/from-daemon-set.js';
import { fromNode } from '../../../lib/manifest/from-node.js';
import {
  type ControllerRevision,
  type DaemonSetKey,
  fromDaemonSetKey,
  type JsonObject,
  toDaemonSetKey,
} from '../../../lib/model/daemon-set.js';
import type { Node } from '../../../lib/model/node.js';
import type { NodeEvent } from '../../../lib/model/status.js';
import type { ClusterStore, StoredDaemonSet } from '../../../lib/ports/cluster-store.js';
import { CHANGE_CAUSE_ANNOTATION } from '../../../lib/revision/format-history.js';
import { revisionTemplates, toPodObject } from '../to-pod-object.js';
import { contentVersion, stableUid, withIdentity } from './kube-meta.js';
import { managedFieldsOf } from './managed-fields.js';

/** The namespaces every cluster has, listed even before anything lives in them. */
export const BUILT_IN_NAMESPACES: readonly string[] = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

/** The uid of a DaemonSet: it changes when the DaemonSet is deleted and created again. */
export function daemonSetUid(stored: StoredDaemonSet): string {
  const { namespace, name, creationTimestamp } = stored.daemonSet;
  return stableUid('DaemonSet', namespace, name, creationTimestamp ?? '');
}

/**
 * A stored DaemonSet as the API server returns it: with uid, resourceVersion, status, and the `managedFields` of
 * those who applied it.
 */
export function daemonSetObject(stored: StoredDaemonSet): JsonObject {
  const object = fromDaemonSet(stored.daemonSet, stored.status);
  const metadata = object['metadata'] as JsonObject;
  const managedFields = managedFieldsOf(
    (metadata['annotations'] ?? {}) as JsonObject,
    String(object['apiVersion'] ?? 'apps/v1'),
  );
  const managed = managedFields === undefined ? object : { ...object, metadata: { ...metadata, managedFields } };
  return withIdentity(managed, daemonSetUid(stored));
}

export async function loadDaemonSets(store: ClusterStore): Promise<JsonObject[]> {
  return (await store.listDaemonSets()).map(daemonSetObject);
}

/** A node without the fact version everynode keeps for ordering (the content version replaces it). */
export function nodeObject(node: Node): JsonObject {
  const { resourceVersion: _ignored, ...rest } = node;
  return withIdentity(fromNode(rest), stableUid('Node', node.name, node.creationTimestamp ?? ''));
}

export async function loadNodes(store: ClusterStore): Promise<JsonObject[]> {
  return (await store.listNodes()).map(nodeObject);
}

/** One node, read and rendered alone. */
export async function findNode(store: ClusterStore, _namespace: string | undefined, name: string) {
  const node = await store.getNode(name);
  return node === undefined ? undefined : nodeObject(node);
}

async function daemonSetsByKey(store: ClusterStore): Promise<Map<DaemonSetKey, StoredDaemonSet>> {
  const stored = await store.listDaemonSets();
  return new Map(stored.map((entry) => [toDaemonSetKey(entry.daemonSet.namespace, entry.daemonSet.name), entry]));
}

/** Every DaemonSet pod, with the owner reference (uid included) `kubectl describe` matches pods by. */
export async function loadPods(store: ClusterStore): Promise<JsonObject[]> {
  const owners = await daemonSetsByKey(store);
  const templateOf = await revisionTemplates(store, owners.keys());
  const lists = await Promise.all(
    [...owners].map(async ([key, owner]) => {
      const ownerUid = daemonSetUid(owner);
      return (await store.listPods(key)).map((pod) => {
        const object = toPodObject(pod, key, templateOf(key, pod.revisionHash));
        const metadata = object['metadata'] as JsonObject;
        const references = (metadata['ownerReferences'] as JsonObject[]).map((reference) => ({
          ...reference,
          uid: ownerUid,
          blockOwnerDeletion: true,
        }));
        const withOwner = { ...object, metadata: { ...metadata, ownerReferences: references } };
        return withIdentity(withOwner, stableUid('Pod', pod.namespace, pod.name, pod.creationTimestamp));
      });
    }),
  );
  return lists.flat();
}

/**
 * An event about a node as the kubelet and node controllers record one: in the `default` namespace, about the Node
 * whose uid is its name (as kubectl describe node looks them up), from everynode's startup gate.
 */
export function nodeEventObject(event: NodeEvent): JsonObject {
  const id = contentVersion(['Node', event.node, event.time, event.reason]);
  const object: JsonObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${event.node}.${Number(id).toString(16)}`, namespace: 'default', creationTimestamp: event.time },
    involvedObject: { kind: 'Node', name: event.node, uid: event.node, apiVersion: 'v1' },
    reason: event.reason,
    message: event.message,
    type: event.type,
    source: { component: NODE_EVENT_COMPONENT },
    firstTimestamp: event.time,
    lastTimestamp: event.time,
    count: 1,
    reportingComponent: NODE_EVENT_COMPONENT,
    reportingInstance: '',
  };
  return withIdentity(object, stableUid('Event', 'default', id));
}

/** The component that records the startup gate's events. */
const NODE_EVENT_COMPONENT = 'everynode-startup-gate';

/** Each DaemonSet's ControllerRevisions, as `kubectl rollout history` and `rollout undo` read them. */
export async function loadControllerRevisions(store: ClusterStore): Promise<JsonObject[]> {
  const owners = await store.listDaemonSets();
  const lists = await Promise.all(
    owners.map(async (owner) => {
      const key = toDaemonSetKey(owner.daemonSet.namespace, owner.daemonSet.name);
      return (await store.listRevisions(key)).map((revision) => revisionObject(owner, revision));
    }),
  );
  return lists.flat();
}

function revisionObject(owner: StoredDaemonSet, revision: ControllerRevision): JsonObject {
  const { namespace, name } = owner.daemonSet;
  const template = {
    metadata: {
      labels: revision.template.metadata.labels,
      ...(Object.keys(revision.template.metadata.annotations).length === 0
        ? {}
        : { annotations: revision.template.metadata.annotations }),
    },
    spec: revision.template.spec,
  };
  const object: JsonObject = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: revision.name,
      namespace,
      labels: { ...revision.template.metadata.labels, 'controller-revision-hash': revision.hash },
      ...(revision.changeCause === undefined
        ? {}
        : { annotations: { [CHANGE_CAUSE_ANNOTATION]: revision.changeCause } }),
      creationTimestamp: revision.creationTimestamp,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'DaemonSet',
          name,
          uid: daemonSetUid(owner),
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    data: { spec: { template: { ...template, $patch: 'replace' } } },
    revision: revision.revision,
  };
  return withIdentity(object, stableUid('ControllerRevision', namespace, revision.name, revision.creationTimestamp));
}

/**
 * Each DaemonSet's events as v1 Events about it, and the events about nodes (the startup gate's) as v1 Events about
 * the Node, so `kubectl describe ds|node` and `kubectl events` show them.
 */
export async function loadEvents(store: ClusterStore): Promise<JsonObject[]> {
  const [owners, nodeEvents] = await Promise.all([store.listDaemonSets(), store.listNodeEvents()]);
  const lists = await Promise.all(
    owners.map(async (owner) => {
      const key = toDaemonSetKey(owner.daemonSet.namespace, owner.daemonSet.name);
      const { namespace, name } = fromDaemonSetKey(key);
      const involvedObject = {
        kind: 'DaemonSet',
        namespace,
        name,
        uid: daemonSetUid(owner),
        apiVersion: 'apps/v1',
      };
      return (await store.listEvents(key)).map((event): JsonObject => {
        const id = contentVersion([key, event.time, event.reason, event.message]);
        const object: JsonObject = {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: `${name}.${Number(id).toString(16)}`, namespace, creationTimestamp: event.time },
          involvedObject,
          reason: event.reason,
          message: event.message,
          type: event.type,
          source: { component: 'daemonset-controller' },
          firstTimestamp: event.time,
          lastTimestamp: event.time,
          count: 1,
          reportingComponent: 'daemonset-controller',
          reportingInstance: '',
        };
        return withIdentity(object, stableUid('Event', namespace, id));
      });
    }),
  );
  return [...lists.flat(), ...nodeEvents.map(nodeEventObject)];
}

/** Namespaces are not stored: the built-in ones and every namespace a DaemonSet lives in. */
export async function loadNamespaces(store: ClusterStore): Promise<JsonObject[]> {
  const keys = await store.listDaemonSetKeys();
  const names = new Set([...BUILT_IN_NAMESPACES, ...keys.map((key) => fromDaemonSetKey(key).namespace)]);
  return [...names].sort().map((name) =>
    withIdentity(
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      },
      stableUid('Namespace', name),
    ),
  );
}
