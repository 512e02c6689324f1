import type { TaintEffect } from '../model/node.js';
import type { PlacementSpec, Toleration } from '../model/pod-spec.js';

const exists = (key: string, effect: TaintEffect): Toleration => ({ key, operator: 'Exists', effect });

// AddOrUpdateDaemonPodTolerations, in Kubernetes' order: DaemonSet pods survive node problems.
const ALWAYS: readonly Toleration[] = [
  exists('node.kubernetes.io/not-ready', 'NoExecute'),
  exists('node.kubernetes.io/unreachable', 'NoExecute'),
  exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
  exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
  exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
  exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
];
const HOST_NETWORK_ONLY = exists('node.kubernetes.io/network-unavailable', 'NoSchedule');

/**
 * The tolerations a DaemonSet pod really has: the template's, plus Kubernetes' defaults
 * (`AddOrUpdateDaemonPodTolerations`): not-ready and unreachable `NoExecute`; disk-, memory- and
 * pid-pressure and unschedulable `NoSchedule`; network-unavailable `NoSchedule` only with `hostNetwork`.
 * All are `Exists` without `tolerationSeconds`. A template toleration with the same key, operator, value
 * and effect is replaced in place (so a finite `tolerationSeconds` becomes infinite); otherwise the
 * default is appended. Used for placement and for the pods the controller creates.
 *
 * @example
 * daemonPodTolerations({ nodeSelector: {}, tolerations: [], hostNetwork: false }).length; // 6
 */
export function daemonPodTolerations(placement: PlacementSpec): readonly Toleration[] {
  const defaults = placement.hostNetwork ? [...ALWAYS, HOST_NETWORK_ONLY] : ALWAYS;
  return defaults.reduce(addOrUpdateToleration, placement.tolerations);
}

// v1helper.AddOrUpdateTolerationInPodSpec, including its quirk: meeting an identical toleration
// abandons the update and keeps the list as it was.
function addOrUpdateToleration(tolerations: readonly Toleration[], toleration: Toleration): readonly Toleration[] {
  const next: Toleration[] = [];
  let updated = false;
  for (const existing of tolerations) {
    if (!sameToleration(toleration, existing)) {
      next.push(existing);
      continue;
    }
    if (existing.tolerationSeconds === undefined) return tolerations;
    next.push(toleration);
    updated = true;
  }
  if (!updated) next.push(toleration);
  return next;
}

// Toleration.MatchToleration: key, operator, value and effect equal (absent is empty).
function sameToleration(a: Toleration, b: Toleration): boolean {
  return (
    (a.key ?? '') === (b.key ?? '') &&
    (a.operator ?? '') === (b.operator ?? '') &&
    (a.value ?? '') === (b.value ?? '') &&
    (a.effect ?? '') === (b.effect ?? '')
  );
}
