import type { JsonObject } from '../../../lib/model/daemon-set.js';

const ref = (name: string, description: string): JsonObject => ({
  description,
  allOf: [{ $ref: `#/components/schemas/${name}` }],
});
const str = (description: string): JsonObject => ({ type: 'string', description });
const int = (description: string): JsonObject => ({ type: 'integer', format: 'int32', description });
const map = (description: string): JsonObject => ({
  type: 'object',
  additionalProperties: { type: 'string' },
  description,
});
const list = (items: JsonObject, description: string, extensions: JsonObject = {}): JsonObject => ({
  type: 'array',
  items,
  description,
  ...extensions,
});
const mergedBy = (key: string): JsonObject => ({
  'x-kubernetes-list-map-keys': [key],
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-patch-merge-key': key,
  'x-kubernetes-patch-strategy': 'merge',
});
const intOrString = (description: string): JsonObject => ({ 'x-kubernetes-int-or-string': true, description });
const gvk = (group: string, version: string, kind: string): JsonObject => ({
  'x-kubernetes-group-version-kind': [{ group, version, kind }],
});

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const KIND = str(
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase.',
);
const API_VERSION = str(
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.',
);
const METADATA = ref(OBJECT_META, "Standard object's metadata.");

/**
 * The OpenAPI v3 schemas `kubectl explain` reads, with Kubernetes' own descriptions, for the kinds everynode
 * serves. The pod spec is described to the depth a DaemonSet author needs; deeper fields are open objects.
 */
export const SCHEMAS: Readonly<Record<string, JsonObject>> = {
  'io.k8s.api.apps.v1.DaemonSet': {
    description: 'DaemonSet represents the configuration of a daemon set.',
    type: 'object',
    properties: {
      apiVersion: API_VERSION,
      kind: KIND,
      metadata: METADATA,
      spec: ref('io.k8s.api.apps.v1.DaemonSetSpec', 'The desired behavior of this daemon set.'),
      status: ref(
        'io.k8s.api.apps.v1.DaemonSetStatus',
        'The current status of this daemon set. This data may be out of date by some window of time. Populated by the system. Read-only.',
      ),
    },
    ...gvk('apps', 'v1', 'DaemonSet'),
  },
  'io.k8s.api.apps.v1.DaemonSetSpec': {
    description: 'DaemonSetSpec is the specification of a daemon set.',
    type: 'object',
    required: ['selector', 'template'],
    properties: {
      minReadySeconds: int(
        'The minimum number of seconds for which a newly created DaemonSet pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready).',
      ),
      revisionHistoryLimit: int(
        'The number of old history to retain to allow rollback. This is a pointer to distinguish between explicit zero and not specified. Defaults to 10.',
      ),
      selector: ref(
        'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
        "A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template's labels.",
      ),
      template: ref(
        'io.k8s.api.core.v1.PodTemplateSpec',
        'An object that describes the pod that will be created. The DaemonSet will create exactly one copy of this pod on every node that matches the template\'s node selector (or on every node if no node selector is specified). The only allowed template.spec.restartPolicy value is "Always".',
      ),
      updateStrategy: ref(
        'io.k8s.api.apps.v1.DaemonSetUpdateStrategy',
        'An update strategy to replace existing DaemonSet pods with new pods.',
      ),
    },
  },
  'io.k8s.api.apps.v1.DaemonSetUpdateStrategy': {
    description: 'DaemonSetUpdateStrategy is a struct used to control the update strategy for a DaemonSet.',
    type: 'object',
    properties: {
      rollingUpdate: ref(
        'io.k8s.api.apps.v1.RollingUpdateDaemonSet',
        'Rolling update config params. Present only if type = "RollingUpdate".',
      ),
      type: {
        type: 'string',
        enum: ['OnDelete', 'RollingUpdate'],
        description:
          'Type of daemon set update. Can be "RollingUpdate" or "OnDelete". Default is RollingUpdate.\n\nPossible enum values:\n - `"OnDelete"` Replace the old daemons only when it\'s killed\n - `"RollingUpdate"` Replace the old daemons by new ones using rolling update i.e replace them on each node one after the other.',
      },
    },
  },
  'io.k8s.api.apps.v1.RollingUpdateDaemonSet': {
    description: 'Spec to control the desired behavior of daemon set rolling update.',
    type: 'object',
    properties: {
      maxSurge: intOrString(
        'The maximum number of nodes with an existing available DaemonSet pod that can have an updated DaemonSet pod during during an update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). This can not be 0 if MaxUnavailable is 0. Default value is 0.',
      ),
      maxUnavailable: intOrString(
        'The maximum number of DaemonSet pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of total number of DaemonSet pods at the start of the update (ex: 10%). Absolute number is calculated from percentage by rounding up. This cannot be 0 if MaxSurge is 0 Default value is 1.',
      ),
    },
  },
  'io.k8s.api.apps.v1.DaemonSetStatus': {
    description: 'DaemonSetStatus represents the current status of a daemon set.',
    type: 'object',
    properties: {
      collisionCount: int(
        'Count of hash collisions for the DaemonSet. The DaemonSet controller uses this field as a collision avoidance mechanism when it needs to create the name for the newest ControllerRevision.',
      ),
      currentNumberScheduled: int(
        'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.',
      ),
      desiredNumberScheduled: int(
        'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).',
      ),
      numberAvailable: int(
        'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)',
      ),
      numberMisscheduled: int(
        'The number of nodes that are running the daemon pod, but are not supposed to run the daemon pod.',
      ),
      numberReady: int(
        'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.',
      ),
      numberUnavailable: int(
        'The number of nodes that should be running the daemon pod and have none of the daemon pod running and available (ready for at least spec.minReadySeconds)',
      ),
      observedGeneration: {
        type: 'integer',
        format: 'int64',
        description: 'The most recent generation observed by the daemon set controller.',
      },
      updatedNumberScheduled: int('The total number of nodes that are running updated daemon pod'),
      conditions: list(
        { type: 'object' },
        "Represents the latest available observations of a DaemonSet's current state.",
        mergedBy('type'),
      ),
    },
  },
  'io.k8s.api.core.v1.PodTemplateSpec': {
    description: 'PodTemplateSpec describes the data a pod should have when created from a template',
    type: 'object',
    properties: {
      metadata: METADATA,
      spec: ref('io.k8s.api.core.v1.PodSpec', 'Specification of the desired behavior of the pod.'),
    },
  },
  'io.k8s.api.core.v1.PodSpec': {
    description: 'PodSpec is a description of a pod.',
    type: 'object',
    required: ['containers'],
    properties: {
      affinity: { type: 'object', description: "If specified, the pod's scheduling constraints" },
      containers: list(
        ref('io.k8s.api.core.v1.Container', ''),
        'List of containers belonging to the pod. Containers cannot currently be added or removed. There must be at least one container in a Pod. Cannot be updated.',
        mergedBy('name'),
      ),
      hostNetwork: {
        type: 'boolean',
        description:
          "Host networking requested for this pod. Use the host's network namespace. If this option is set, the ports that will be used must be specified. Default to false.",
      },
      initContainers: list(
        ref('io.k8s.api.core.v1.Container', ''),
        'List of initialization containers belonging to the pod.',
        mergedBy('name'),
      ),
      nodeSelector: map(
        "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node.",
      ),
      priorityClassName: str(
        'If specified, indicates the pod\'s priority. "system-node-critical" and "system-cluster-critical" are two special keywords which indicate the highest priorities with the former being the highest priority.',
      ),
      serviceAccountName: str('ServiceAccountName is the name of the ServiceAccount to use to run this pod.'),
      terminationGracePeriodSeconds: {
        type: 'integer',
        format: 'int64',
        description: 'Optional duration in seconds the pod needs to terminate gracefully. Defaults to 30 seconds.',
      },
      tolerations: list({ type: 'object' }, "If specified, the pod's tolerations.", {
        'x-kubernetes-list-type': 'atomic',
      }),
      volumes: list({ type: 'object' }, 'List of volumes that can be mounted by containers belonging to the pod.', {
        ...mergedBy('name'),
        'x-kubernetes-patch-strategy': 'merge,retainKeys',
      }),
    },
  },
  'io.k8s.api.core.v1.Container': {
    description: 'A single application container that you want to run within a pod.',
    type: 'object',
    required: ['name'],
    properties: {
      args: list({ type: 'string' }, 'Arguments to the entrypoint.'),
      command: list({ type: 'string' }, 'Entrypoint array. Not executed within a shell.'),
      env: list(
        { type: 'object' },
        'List of environment variables to set in the container. Cannot be updated.',
        mergedBy('name'),
      ),
      image: str('Container image name.'),
      imagePullPolicy: str('Image pull policy. One of Always, Never, IfNotPresent.'),
      name: str(
        'Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated.',
      ),
      ports: list({ type: 'object' }, 'List of ports to expose from the container.', mergedBy('containerPort')),
      resources: { type: 'object', description: 'Compute Resources required by this container. Cannot be updated.' },
      securityContext: {
        type: 'object',
        description: 'SecurityContext defines the security options the container should be run with.',
      },
      volumeMounts: list(
        { type: 'object' },
        "Pod volumes to mount into the container's filesystem. Cannot be updated.",
        mergedBy('mountPath'),
      ),
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector': {
    description:
      'A label selector is a label query over a set of resources. The result of matchLabels and matchExpressions are ANDed. An empty label selector matches all objects. A null label selector matches no objects.',
    type: 'object',
    properties: {
      matchExpressions: list(
        { type: 'object' },
        'matchExpressions is a list of label selector requirements. The requirements are ANDed.',
      ),
      matchLabels: map('matchLabels is a map of {key,value} pairs.'),
    },
    'x-kubernetes-map-type': 'atomic',
  },
  [OBJECT_META]: {
    description:
      'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
    type: 'object',
    properties: {
      annotations: map(
        'Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata.',
      ),
      creationTimestamp: str(
        'CreationTimestamp is a timestamp representing the server time when this object was created. Populated by the system. Read-only.',
      ),
      generation: {
        type: 'integer',
        format: 'int64',
        description:
          'A sequence number representing a specific generation of the desired state. Populated by the system. Read-only.',
      },
      labels: map(
        'Map of string keys and values that can be used to organize and categorize (scope and select) objects.',
      ),
      name: str('Name must be unique within a namespace. Cannot be updated.'),
      namespace: str('Namespace defines the space within which each name must be unique. Cannot be updated.'),
      resourceVersion: str(
        'An opaque value that represents the internal version of this object. Populated by the system. Read-only.',
      ),
      uid: str('UID is the unique in time and space value for this object. Populated by the system. Read-only.'),
    },
  },
  'io.k8s.api.core.v1.Node': {
    description:
      'Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).',
    type: 'object',
    properties: {
      apiVersion: API_VERSION,
      kind: KIND,
      metadata: METADATA,
      spec: {
        type: 'object',
        description: 'Spec defines the behavior of a node.',
        properties: {
          taints: list({ type: 'object' }, "If specified, the node's taints.", { 'x-kubernetes-list-type': 'atomic' }),
          unschedulable: {
            type: 'boolean',
            description: 'Unschedulable controls node schedulability of new pods. By default, node is schedulable.',
          },
        },
      },
      status: { type: 'object', description: 'Most recently observed status of the node.' },
    },
    ...gvk('', 'v1', 'Node'),
  },
  'io.k8s.api.core.v1.Pod': {
    description:
      'Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.',
    type: 'object',
    properties: {
      apiVersion: API_VERSION,
      kind: KIND,
      metadata: METADATA,
      spec: ref('io.k8s.api.core.v1.PodSpec', 'Specification of the desired behavior of the pod.'),
      status: { type: 'object', description: 'Most recently observed status of the pod.' },
    },
    ...gvk('', 'v1', 'Pod'),
  },
};
