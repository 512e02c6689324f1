import { formatAge } from './format-age.js';
import { formatTable } from './format-table.js';
import { at, creationOf, type KubeObject, labelsOf, listAt, nameOf, stringAt } from './kube-object.js';

const ROLE_PREFIX = 'node-role.kubernetes.io/';

/** `everynode get nodes`: NAME STATUS ROLES AGE VERSION; `-o wide` adds TAINTS and LABELS. */
export function formatNodes(items: readonly KubeObject[], wide: boolean, now: number): string {
  const header = ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'];
  const rows = items.map((node) => {
    const row = [
      nameOf(node),
      nodeStatus(node),
      nodeRoles(node),
      formatAge(creationOf(node), now),
      stringAt(node, 'status', 'nodeInfo', 'kubeletVersion') ?? '<none>',
    ];
    if (!wide) return row;
    const taints = listAt(node, 'spec', 'taints').map(formatTaintObject);
    const labels = Object.entries(labelsOf(node)).map(([key, value]) => `${key}=${value}`);
    return [
      ...row,
      taints.length === 0 ? '<none>' : taints.join(','),
      labels.length === 0 ? '<none>' : labels.join(','),
    ];
  });
  return formatTable(wide ? [...header, 'TAINTS', 'LABELS'] : header, rows);
}

/** `Ready`, `NotReady` or `Unknown`, plus `,SchedulingDisabled` when cordoned (as kubectl prints it). */
export function nodeStatus(node: KubeObject): string {
  const ready = listAt(node, 'status', 'conditions').find((condition) => stringAt(condition, 'type') === 'Ready');
  const status = stringAt(ready, 'status');
  const readiness = status === 'True' ? 'Ready' : status === 'False' ? 'NotReady' : 'Unknown';
  const parts = [readiness];
  if (isCordoned(node)) parts.push('SchedulingDisabled');
  const gate = startupGateStatus(node);
  if (gate !== undefined) parts.push(gate);
  return parts.join(',');
}

/**
 * `StartupGated` while the node carries the `everynode.io/startup` taint (its startup-critical DaemonSets are not
 * all available yet), `StartupTimeout` once its gate deadline passed; undefined for an open node.
 */
export function startupGateStatus(node: KubeObject): string | undefined {
  const gated = listAt(node, 'spec', 'taints').some((taint) => stringAt(taint, 'key') === 'everynode.io/startup');
  if (!gated) return undefined;
  const condition = listAt(node, 'status', 'conditions').find(
    (each) => stringAt(each, 'type') === 'everynode.io/StartupComplete',
  );
  return stringAt(condition, 'reason') === 'StartupTimeout' ? 'StartupTimeout' : 'StartupGated';
}

export function isCordoned(node: KubeObject): boolean {
  return at(node, 'spec', 'unschedulable') === true;
}

/** Roles from `node-role.kubernetes.io/<role>` labels, or `<none>`. */
export function nodeRoles(node: KubeObject): string {
  const roles = Object.keys(labelsOf(node))
    .filter((key) => key.startsWith(ROLE_PREFIX))
    .map((key) => key.slice(ROLE_PREFIX.length))
    .filter((role) => role !== '');
  return roles.length === 0 ? '<none>' : roles.toSorted().join(',');
}

/** `key=value:Effect` from a taint object. */
export function formatTaintObject(taint: unknown): string {
  const value = stringAt(taint, 'value');
  return `${stringAt(taint, 'key') ?? ''}${value ? `=${value}` : ''}:${stringAt(taint, 'effect') ?? ''}`;
}
