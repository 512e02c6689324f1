import type { TaintEffect } from '../model/node.js';
import { STARTUP_TAINT_KEY } from '../model/node-lifecycle.js';
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
// everynode's own default: startup-critical DaemonSets run on gated nodes, which is what the gate waits for.
const STARTUP_CRITICAL_ONLY = exists(STARTUP_TAINT_KEY, 'NoSchedule');

/**
 * The tolerations a DaemonSet pod really has: the template's, plus Kubernetes' defaults
 * (`AddOrUpdateDaemonPodTolerations`): not-ready and unreachable `NoExecute`; disk-, memory- and
 * pid-pressure and unschedulable `NoSchedule`; network-unavailable `NoSchedule` only with `hostNetwork`.
 * A startup-critical DaemonSet (`placement.startupCritical`) also tolerates the startup gate's taint
 * (`everynode.io/startup` `NoSchedule`). All are `Exists` without `tolerationSeconds`. A template toleration with the same key, operator, value
 * and effect is replaced in place (so a finite `tolerationSeconds` becomes infinite); otherwise the
 * default is appended. Used for placement and for the pods the controller creates.
 *
 * @example
 * daemonPodTolerations({ nodeSelector: {}, tolerations: [], hostNetwork: false }).length; // 6
 */
export function daemonPodTolerations(placement: PlacementSpec): readonly Toleration[] {
  const defaults = [
    ...ALWAYS,
    ...(placement.hostNetwork ? [HOST_NETWORK_ONLY] : []),
    ...(placement.startupCritical === true ? [STARTUP_CRITICAL_ONLY] : []),
  ];
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
