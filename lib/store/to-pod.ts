import type { Pod } from '../model/pod.js';
import type { DesiredPod, PodStatusRecord } from './stored-records.js';

/**
 * The pod the planner sees: the desired record merged with its agent's latest status. A pod no agent
 * has reported on (or whose status is an old `gone` marker) is unscheduled and Pending.
 */
export function toPod(namespace: string, desired: DesiredPod, status: PodStatusRecord | undefined): Pod {
  const reported = status !== undefined && !status.gone ? status : undefined;
  return {
    name: desired.name,
    namespace,
    nodeName: desired.nodeName,
    revisionHash: desired.revisionHash,
    labels: desired.labels,
    creationTimestamp: desired.creationTimestamp,
    ...(desired.deletionTimestamp === undefined ? {} : { deletionTimestamp: desired.deletionTimestamp }),
    scheduled: reported !== undefined,
    phase: reported?.phase ?? 'Pending',
    ready: reported?.ready ?? false,
    ...(reported?.readySince === undefined ? {} : { readySince: reported.readySince }),
  };
}

/** Pods (or nodes) in a stable order: by name. */
export const byName = (a: Pick<Pod, 'name'>, b: Pick<Pod, 'name'>): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
