import type { DaemonSet } from '../model/daemon-set.js';

/**
 * An object's name as kubectl prints it: `<kind>.<group>/<name>` with the kind in lower case and no group
 * for the core API (`namespace/kube-flannel`, `daemonset.apps/fluentd`,
 * `daemonset.apps.kruise.io/guestbook-ds`, `clusterrole.rbac.authorization.k8s.io/flannel`).
 */
export function objectName(apiVersion: string, kind: string, name: string): string {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : `.${apiVersion.slice(0, slash)}`;
  return `${kind.toLowerCase()}${group}/${name}`;
}

/** A DaemonSet's name as kubectl prints it, in its own API group (`daemonset.apps.kruise.io/x` for OpenKruise). */
export function daemonSetObjectName(daemonSet: Pick<DaemonSet, 'apiVersion' | 'name'>): string {
  return objectName(daemonSet.apiVersion, 'DaemonSet', daemonSet.name);
}
