import type { JsonObject, JsonValue } from '../../../lib/model/daemon-set.js';

/** One column of a `meta.k8s.io/v1` Table; priority 1 columns are shown by `-o wide` only. */
type Column = Readonly<{ name: string; type: string; format?: string; description: string; priority?: number }>;

/** Columns and cells of one resource, as the API server's printers (`pkg/printers/internalversion`) make them. */
export type TablePrinter = Readonly<{
  columns: readonly Column[];
  cells: (object: JsonObject, now: number) => JsonValue[];
}>;

const NAME: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
};
const AGE: Column = {
  name: 'Age',
  type: 'string',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
};

const get = (value: JsonValue | undefined, ...path: string[]): JsonValue | undefined => {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as JsonObject)[key];
  }
  return current;
};
const num = (value: JsonValue | undefined): number => (typeof value === 'number' ? value : 0);
const str = (value: JsonValue | undefined): string => (typeof value === 'string' ? value : '');
const list = (value: JsonValue | undefined): readonly JsonValue[] => (Array.isArray(value) ? value : []);
const record = (value: JsonValue | undefined): Readonly<Record<string, JsonValue>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : {};

/**
 * Kubernetes' `duration.HumanDuration`: `45s`, `5m30s`, `3h`, `2d4h`, as kubectl prints ages.
 *
 * @example humanDuration(330_000) // '5m30s'
 */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8)
    return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 365 * 8)
    return days % 365 === 0 ? `${Math.floor(days / 365)}y` : `${Math.floor(days / 365)}y${days % 365}d`;
  return `${Math.floor(days / 365)}y`;
}

/** `translateTimestampSince`: the age of a timestamp, `<unknown>` without one. */
function since(timestamp: JsonValue | undefined, now: number): string {
  const time = Date.parse(str(timestamp));
  return Number.isNaN(time) ? '<unknown>' : humanDuration(now - time);
}

const age = (object: JsonObject, now: number): string => since(get(object, 'metadata', 'creationTimestamp'), now);

/** `metav1.FormatLabelSelector`. */
function formatSelector(selector: JsonValue | undefined): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(record(get(selector, 'matchLabels'))).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    parts.push(`${key}=${str(value)}`);
  }
  for (const expression of list(get(selector, 'matchExpressions'))) {
    const key = str(get(expression, 'key'));
    const values = list(get(expression, 'values')).map(str).join(',');
    const operator = str(get(expression, 'operator'));
    if (operator === 'In') parts.push(`${key} in (${values})`);
    else if (operator === 'NotIn') parts.push(`${key} notin (${values})`);
    else if (operator === 'Exists') parts.push(key);
    else if (operator === 'DoesNotExist') parts.push(`!${key}`);
  }
  const text = parts.join(',');
  return text === '' ? '<none>' : text;
}

function containerColumns(spec: JsonValue | undefined): [string, string] {
  const containers = list(get(spec, 'containers'));
  return [containers.map((c) => str(get(c, 'name'))).join(','), containers.map((c) => str(get(c, 'image'))).join(',')];
}

const DAEMON_SETS: TablePrinter = {
  columns: [
    NAME,
    {
      name: 'Desired',
      type: 'integer',
      description:
        'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).',
    },
    {
      name: 'Current',
      type: 'integer',
      description: 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.',
    },
    {
      name: 'Ready',
      type: 'integer',
      description:
        'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.',
    },
    {
      name: 'Up-to-date',
      type: 'integer',
      description: 'The total number of nodes that are running updated daemon pod',
    },
    {
      name: 'Available',
      type: 'integer',
      description:
        'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)',
    },
    {
      name: 'Node Selector',
      type: 'string',
      description: 'NodeSelector is a selector which must be true for the pod to fit on a node.',
    },
    AGE,
    { name: 'Containers', type: 'string', priority: 1, description: 'Names of each container in the template.' },
    {
      name: 'Images',
      type: 'string',
      priority: 1,
      description: 'Images referenced by each container in the template.',
    },
    {
      name: 'Selector',
      type: 'string',
      priority: 1,
      description: 'A label query over pods that are managed by the daemon set.',
    },
  ],
  cells: (object, now) => {
    const status = get(object, 'status');
    const nodeSelector = Object.entries(record(get(object, 'spec', 'template', 'spec', 'nodeSelector')))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => `${key}=${str(value)}`)
      .join(',');
    return [
      str(get(object, 'metadata', 'name')),
      num(get(status, 'desiredNumberScheduled')),
      num(get(status, 'currentNumberScheduled')),
      num(get(status, 'numberReady')),
      num(get(status, 'updatedNumberScheduled')),
      num(get(status, 'numberAvailable')),
      nodeSelector === '' ? '<none>' : nodeSelector,
      age(object, now),
      ...containerColumns(get(object, 'spec', 'template', 'spec')),
      formatSelector(get(object, 'spec', 'selector')),
    ];
  },
};

const PODS: TablePrinter = {
  columns: [
    NAME,
    { name: 'Ready', type: 'string', description: 'The aggregate readiness state of this pod for accepting traffic.' },
    { name: 'Status', type: 'string', description: 'The aggregate status of the containers in this pod.' },
    {
      name: 'Restarts',
      type: 'string',
      description:
        'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    },
    AGE,
    {
      name: 'IP',
      type: 'string',
      priority: 1,
      description: 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
    },
    {
      name: 'Node',
      type: 'string',
      priority: 1,
      description: 'NodeName is a request to schedule this pod onto a specific node.',
    },
    {
      name: 'Nominated Node',
      type: 'string',
      priority: 1,
      description: 'nominatedNodeName is set only when this pod preempts other pods on the node.',
    },
    {
      name: 'Readiness Gates',
      type: 'string',
      priority: 1,
      description: 'If specified, all readiness gates will be evaluated for pod readiness.',
    },
  ],
  cells: (object, now) => {
    const total = Math.max(list(get(object, 'spec', 'containers')).length, 1);
    const ready = list(get(object, 'status', 'conditions')).some(
      (condition) => str(get(condition, 'type')) === 'Ready' && str(get(condition, 'status')) === 'True',
    );
    const terminating = get(object, 'metadata', 'deletionTimestamp') !== undefined;
    const nodeName = str(get(object, 'spec', 'nodeName'));
    return [
      str(get(object, 'metadata', 'name')),
      `${ready ? total : 0}/${total}`,
      terminating ? 'Terminating' : str(get(object, 'status', 'phase')),
      '0',
      age(object, now),
      '<none>',
      nodeName === '' ? '<none>' : nodeName,
      '<none>',
      '<none>',
    ];
  },
};

const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';

const NODES: TablePrinter = {
  columns: [
    NAME,
    { name: 'Status', type: 'string', description: 'The status of the node' },
    { name: 'Roles', type: 'string', description: 'The roles of the node' },
    AGE,
    { name: 'Version', type: 'string', description: 'Kubelet Version reported by the node.' },
    { name: 'Internal-IP', type: 'string', priority: 1, description: 'List of addresses reachable to the node.' },
    { name: 'External-IP', type: 'string', priority: 1, description: 'List of addresses reachable to the node.' },
    {
      name: 'OS-Image',
      type: 'string',
      priority: 1,
      description: 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
    },
    {
      name: 'Kernel-Version',
      type: 'string',
      priority: 1,
      description: "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
    },
    {
      name: 'Container-Runtime',
      type: 'string',
      priority: 1,
      description:
        'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
    },
  ],
  cells: (object, now) => {
    const ready = list(get(object, 'status', 'conditions')).find(
      (condition) => str(get(condition, 'type')) === 'Ready',
    );
    const readyStatus = str(get(ready, 'status'));
    const statuses = [readyStatus === 'True' ? 'Ready' : readyStatus === 'False' ? 'NotReady' : 'Unknown'];
    if (get(object, 'spec', 'unschedulable') === true) statuses.push('SchedulingDisabled');
    const roles = Object.keys(record(get(object, 'metadata', 'labels')))
      .filter((key) => key.startsWith(NODE_ROLE_PREFIX) && key.length > NODE_ROLE_PREFIX.length)
      .map((key) => key.slice(NODE_ROLE_PREFIX.length))
      .sort();
    return [
      str(get(object, 'metadata', 'name')),
      statuses.join(','),
      roles.length === 0 ? '<none>' : roles.join(','),
      age(object, now),
      '',
      '<none>',
      '<none>',
      '<unknown>',
      '<unknown>',
      '<unknown>',
    ];
  },
};

const CONTROLLER_REVISIONS: TablePrinter = {
  columns: [
    NAME,
    { name: 'Controller', type: 'string', description: 'Controller of the object' },
    {
      name: 'Revision',
      type: 'integer',
      description: 'Revision indicates the revision of the state represented by Data.',
    },
    AGE,
  ],
  cells: (object, now) => {
    const owner = list(get(object, 'metadata', 'ownerReferences'))[0];
    return [
      str(get(object, 'metadata', 'name')),
      owner === undefined ? '<none>' : `daemonset.apps/${str(get(owner, 'name'))}`,
      num(get(object, 'revision')),
      age(object, now),
    ];
  },
};

const EVENTS: TablePrinter = {
  columns: [
    { name: 'Last Seen', type: 'string', description: 'The last time this event was seen.' },
    {
      name: 'Type',
      type: 'string',
      description: 'Type of this event (Normal, Warning), new types could be added in the future.',
    },
    {
      name: 'Reason',
      type: 'string',
      description:
        "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
    },
    { name: 'Object', type: 'string', description: 'The object that this event is about.' },
    { name: 'Message', type: 'string', description: 'A human-readable description of the status of this operation.' },
    { name: 'Subobject', type: 'string', priority: 1, description: 'The field of the object this event is about.' },
    { name: 'Source', type: 'string', priority: 1, description: 'The component reporting this event.' },
    { name: 'First Seen', type: 'string', priority: 1, description: 'The time at which the event was first recorded.' },
    { name: 'Count', type: 'string', priority: 1, description: 'The number of times this event has occurred.' },
    {
      name: 'Name',
      type: 'string',
      priority: 1,
      format: 'name',
      description: 'Name must be unique within a namespace.',
    },
  ],
  cells: (object, now) => [
    since(get(object, 'lastTimestamp'), now),
    str(get(object, 'type')),
    str(get(object, 'reason')),
    `${str(get(object, 'involvedObject', 'kind')).toLowerCase()}/${str(get(object, 'involvedObject', 'name'))}`,
    str(get(object, 'message')),
    '',
    str(get(object, 'source', 'component')),
    since(get(object, 'firstTimestamp'), now),
    String(num(get(object, 'count'))),
    str(get(object, 'metadata', 'name')),
  ],
};

const NAMESPACES: TablePrinter = {
  columns: [NAME, { name: 'Status', type: 'string', description: 'The status of the namespace' }, AGE],
  cells: (object, now) => [str(get(object, 'metadata', 'name')), str(get(object, 'status', 'phase')), age(object, now)],
};

/** The printer of each served resource, by plural name. */
export const TABLE_PRINTERS: Readonly<Record<string, TablePrinter>> = {
  daemonsets: DAEMON_SETS,
  pods: PODS,
  nodes: NODES,
  controllerrevisions: CONTROLLER_REVISIONS,
  events: EVENTS,
  namespaces: NAMESPACES,
};

/**
 * A `meta.k8s.io/v1` Table, as the API server answers `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`:
 * `kubectl get` prints its cells, so its columns are exactly a real cluster's. Each row carries the object's
 * metadata (`includeObject=Metadata`, the default), the whole object, or nothing.
 */
export function toTable(
  printer: TablePrinter,
  objects: readonly JsonObject[],
  listMeta: JsonObject,
  includeObject: string,
  now: number,
): JsonObject {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: printer.columns.map((column) => ({ priority: 0, format: '', ...column })),
    rows: objects.map((object) => ({
      cells: printer.cells(object, now),
      ...(includeObject === 'None'
        ? {}
        : {
            object:
              includeObject === 'Object'
                ? object
                : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object['metadata'] ?? {} },
          }),
    })),
  };
}
