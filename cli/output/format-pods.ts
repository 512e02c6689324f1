import { formatAge } from './format-age.js';
import { formatTable } from './format-table.js';
import {
  at,
  creationOf,
  type KubeObject,
  labelsOf,
  listAt,
  nameOf,
  namespaceOf,
  numberAt,
  stringAt,
} from './kube-object.js';

export type PodTableOptions = Readonly<{ wide: boolean; withNamespace: boolean; now: number }>;

/** `everynode get pods`: NAME READY STATUS RESTARTS AGE; `-o wide` adds NODE and REVISION. */
export function formatPods(items: readonly KubeObject[], options: PodTableOptions): string {
  const header = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'];
  const rows = items.map((pod) => {
    const row = [nameOf(pod), readyColumn(pod), podStatus(pod), restarts(pod), formatAge(creationOf(pod), options.now)];
    const wide = options.wide
      ? [...row, podNodeName(pod) ?? '<none>', labelsOf(pod)['controller-revision-hash'] ?? '<none>']
      : row;
    return options.withNamespace ? [namespaceOf(pod), ...wide] : wide;
  });
  const wideHeader = options.wide ? [...header, 'NODE', 'REVISION'] : header;
  return formatTable(options.withNamespace ? ['NAMESPACE', ...wideHeader] : wideHeader, rows);
}

/** The pod's phase as `describe` counts it (`Pods Status`): `Terminating` while deleting, else the phase. */
export function podPhase(pod: KubeObject): string {
  if (stringAt(pod, 'metadata', 'deletionTimestamp') !== undefined) return 'Terminating';
  return stringAt(pod, 'status', 'phase') ?? 'Unknown';
}

/**
 * What kubectl shows in STATUS: `Terminating` while deleting, else why the pod is not running as asked
 * (`CrashLoopBackOff`, `ErrImagePull`: the reason its agent reported), else the phase.
 */
export function podStatus(pod: KubeObject): string {
  if (stringAt(pod, 'metadata', 'deletionTimestamp') !== undefined) return 'Terminating';
  return stringAt(pod, 'status', 'reason') ?? stringAt(pod, 'status', 'phase') ?? 'Unknown';
}

/** True when the pod's Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  return listAt(pod, 'status', 'conditions').some(
    (condition) => stringAt(condition, 'type') === 'Ready' && stringAt(condition, 'status') === 'True',
  );
}

function readyColumn(pod: KubeObject): string {
  const statuses = listAt(pod, 'status', 'containerStatuses');
  const total = Math.max(listAt(pod, 'spec', 'containers').length, statuses.length, 1);
  if (statuses.length === 0) return `${isPodReady(pod) ? total : 0}/${total}`;
  const ready = statuses.filter((status) => at(status, 'ready') === true).length;
  return `${ready}/${total}`;
}

/** The restarts of the pod's containers: summed from `containerStatuses`, or as the everynode agent reports them. */
function restarts(pod: KubeObject): string {
  const reported = numberAt(pod, 'status', 'restartCount');
  if (reported !== undefined) return String(reported);
  const counts = listAt(pod, 'status', 'containerStatuses').map((status) => numberAt(status, 'restartCount') ?? 0);
  return String(counts.reduce((sum, count) => sum + count, 0));
}

/** The pod's node: `spec.nodeName` once scheduled, else the `metadata.name` node affinity the controller sets. */
export function podNodeName(pod: KubeObject): string | undefined {
  const scheduled = stringAt(pod, 'spec', 'nodeName');
  if (scheduled !== undefined) return scheduled;
  const terms = listAt(
    pod,
    'spec',
    'affinity',
    'nodeAffinity',
    'requiredDuringSchedulingIgnoredDuringExecution',
    'nodeSelectorTerms',
  );
  const field = terms
    .flatMap((term) => listAt(term, 'matchFields'))
    .find((requirement) => stringAt(requirement, 'key') === 'metadata.name');
  const [node] = listAt(field, 'values');
  return typeof node === 'string' ? node : undefined;
}
