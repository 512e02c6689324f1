import { buildDashboardState, type DaemonSetPod } from '../../dashboard/build-dashboard-state.js';
import { labelSelectorMatches } from '../../lib/labels/label-selector-matches.js';
import { toPod } from '../../lib/manifest/pod-manifest.js';
import { toDaemonSet } from '../../lib/manifest/to-daemon-set.js';
import { toNode } from '../../lib/manifest/to-node.js';
import { EMPTY_CONTROLLER_MEMORY } from '../../lib/model/controller-memory.js';
import { type DaemonSetKey, toDaemonSetKey } from '../../lib/model/daemon-set.js';
import type { Pod } from '../../lib/model/pod.js';
import type { StoredDaemonSet } from '../../lib/ports/cluster-store.js';
import { connect } from '../api/api-client.js';
import { fromServer } from '../api/from-server.js';
import { CliError, EXIT_CODES } from '../cli-error.js';
import type { ConnectionOptions } from '../command-options.js';
import { field, keyValueLines, section } from '../output/describe-layout.js';
import { formatAge } from '../output/format-age.js';
import { formatTaintObject, nodeRoles, nodeStatus, startupGateStatus } from '../output/format-nodes.js';
import { at, creationOf, itemsOf, type KubeObject, listAt, stringAt, stringMapAt } from '../output/kube-object.js';

/**
 * `everynode describe node <name>`: the node, then each DaemonSet with its pod and that pod's state on this
 * node, or why the node gets none (placement decided client-side with the controller's own rules).
 */
export async function describeNode(name: string, options: ConnectionOptions): Promise<string> {
  const client = connect(options);
  const nodeObject = await client.find(`/v1/nodes/${encodeURIComponent(name)}`);
  if (typeof nodeObject !== 'object' || nodeObject === null) {
    throw new CliError(`Error from server (NotFound): nodes "${name}" not found`, EXIT_CODES.failure);
  }
  const [daemonSetList, podList, eventList] = await Promise.all([
    client.get('/v1/daemonsets'),
    client.get(`/v1/nodes/${encodeURIComponent(name)}/pods`),
    client.get(`/v1/events?node=${encodeURIComponent(name)}`),
  ]);
  const node = fromServer(toNode, nodeObject, 'node');
  const daemonSets: StoredDaemonSet[] = itemsOf(daemonSetList).map((object) => ({
    daemonSet: fromServer(toDaemonSet, object, 'daemon set'),
    version: 0,
    memory: EMPTY_CONTROLLER_MEMORY,
  }));
  const pods = itemsOf(podList).flatMap((object): DaemonSetPod[] => {
    const pod = fromServer(toPod, object, 'pod');
    const owner = ownerOf(object, pod, daemonSets);
    return owner === undefined ? [] : [{ ...pod, daemonSet: owner }];
  });
  const state = buildDashboardState({ daemonSets, nodes: [node], pods }, Date.now());
  const cells = state.rows[0]?.cells ?? [];
  const object = nodeObject as KubeObject;
  return [
    field('Name', name),
    field('Roles', nodeRoles(object)),
    field('Labels', keyValueLines(stringMapAt(object, 'metadata', 'labels'))),
    field('Taints', listAt(object, 'spec', 'taints').map(formatTaintObject).join('\n') || '<none>'),
    field('Unschedulable', at(object, 'spec', 'unschedulable') === true),
    field('Status', nodeStatus(object)),
    field('Startup Gate', startupGateLine(object)),
    ...lifecycleLines(object),
    field('Age', formatAge(creationOf(object), Date.now())),
    section(
      'Conditions',
      ['TYPE', 'STATUS', 'REASON', 'MESSAGE'],
      listAt(object, 'status', 'conditions').map((condition) => [
        stringAt(condition, 'type') ?? '',
        stringAt(condition, 'status') ?? '',
        stringAt(condition, 'reason') ?? '',
        stringAt(condition, 'message') ?? '',
      ]),
    ),
    section(
      'DaemonSets',
      ['', 'NAMESPACE', 'NAME', 'POD', 'STATE', 'DETAILS'],
      cells.map((cell) => {
        const [namespace = '', daemonSetName = ''] = cell.daemonSet.split('/');
        return [
          cell.symbol,
          namespace,
          daemonSetName,
          cell.pod ?? '<none>',
          cell.state,
          cell.title.replaceAll('\n', '; '),
        ];
      }),
    ),
    section(
      'Events',
      ['TYPE', 'REASON', 'AGE', 'MESSAGE'],
      itemsOf(eventList).map((event) => [
        stringAt(event, 'type') ?? '',
        stringAt(event, 'reason') ?? '',
        formatAge(stringAt(event, 'lastTimestamp'), Date.now()),
        stringAt(event, 'message') ?? '',
      ]),
    ),
  ].join('\n');
}

/** The pod's DaemonSet: its controller owner reference, else the DaemonSet whose selector matches it. */
function ownerOf(object: KubeObject, pod: Pod, daemonSets: readonly StoredDaemonSet[]): DaemonSetKey | undefined {
  const owner = listAt(object, 'metadata', 'ownerReferences').find(
    (reference) => stringAt(reference, 'kind') === 'DaemonSet',
  );
  const ownerName = stringAt(owner, 'name');
  if (ownerName !== undefined) return toDaemonSetKey(pod.namespace, ownerName);
  const match = daemonSets.find(
    ({ daemonSet }) => daemonSet.namespace === pod.namespace && labelSelectorMatches(daemonSet.selector, pod.labels),
  );
  return match === undefined ? undefined : toDaemonSetKey(match.daemonSet.namespace, match.daemonSet.name);
}

/** What the startup gate says: open (and how fast), or what it waits for. */
function startupGateLine(node: KubeObject): string {
  const condition = listAt(node, 'status', 'conditions').find(
    (each) => stringAt(each, 'type') === 'everynode.io/StartupComplete',
  );
  const message = stringAt(condition, 'message');
  const gate = startupGateStatus(node);
  if (gate === undefined) return condition === undefined ? '<none>' : `open: ${message ?? ''}`.trim();
  return message === undefined ? `${gate}: deciding` : `${gate}: ${message}`;
}

/** The Auto Scaling lifecycle action the node waits on (the read-only `everynode.io/lifecycle-action` annotation). */
function lifecycleLines(node: KubeObject): string[] {
  const text = stringMapAt(node, 'metadata', 'annotations')['everynode.io/lifecycle-action'];
  if (text === undefined) return [];
  try {
    const action = JSON.parse(text) as Record<string, string | undefined>;
    const state =
      action['completedAt'] !== undefined ? `${action['result']} (completed)` : (action['result'] ?? 'pending');
    return [
      field(
        'Lifecycle Action',
        `${action['transition']} ${action['autoScalingGroupName']}/${action['lifecycleHookName']}: ${state}`,
      ),
    ];
  } catch {
    return [field('Lifecycle Action', text)];
  }
}
