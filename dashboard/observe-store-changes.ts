import { toDaemonSetKey } from '../lib/model/daemon-set.js';
import type { ClusterStore } from '../lib/ports/cluster-store.js';
import type { DashboardChange } from './dashboard-service.js';

type Writes = Pick<
  ClusterStore,
  | 'putNode'
  | 'replaceNode'
  | 'removeNode'
  | 'applyDaemonSet'
  | 'setRolloutSwitch'
  | 'deleteDaemonSet'
  | 'updateDaemonSet'
  | 'putPodStatus'
  | 'deletePod'
  | 'applyStep'
>;

/** What each write changed, from its arguments (the store's facts as the dashboard reads them). */
const CHANGES: { readonly [name in keyof Writes]: (...args: Parameters<Writes[name]>) => DashboardChange[] } = {
  putNode: (node) => [{ nodeName: node.name }],
  replaceNode: (node) => [{ nodeName: node.name }],
  removeNode: (name) => [{ nodeName: name }],
  applyDaemonSet: (daemonSet) => [{ daemonSet: toDaemonSetKey(daemonSet.namespace, daemonSet.name) }],
  setRolloutSwitch: (key) => [{ daemonSet: key }],
  deleteDaemonSet: (key) => [{ daemonSet: key }],
  updateDaemonSet: (key) => [{ daemonSet: key }],
  putPodStatus: (report) => [
    { daemonSet: toDaemonSetKey(report.namespace, report.daemonSet), nodeName: report.nodeName },
  ],
  deletePod: (key, request) => [{ daemonSet: key, nodeName: request.nodeName }],
  applyStep: (key, step) => [
    { daemonSet: key },
    ...step.actions.map((action) => ({ daemonSet: key, nodeName: action.nodeName })),
  ],
};

/**
 * The store, telling `onChange` after each write that changed something what it changed (writes answering
 * `unchanged` or `stale`, and failed ones, tell nothing): how the local control plane keeps its dashboard's view
 * up to date without reading the whole store. Reads pass through untouched.
 */
export function observeStoreChanges(
  store: ClusterStore,
  onChange: (changes: readonly DashboardChange[]) => void,
): ClusterStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const changesOf = Object.hasOwn(CHANGES, property)
        ? (CHANGES[property as keyof Writes] as (...args: unknown[]) => DashboardChange[])
        : undefined;
      if (changesOf === undefined) return value.bind(target);
      return async (...args: unknown[]) => {
        const result: unknown = await value.apply(target, args);
        const outcome = typeof result === 'object' && result !== null && 'outcome' in result ? result.outcome : result;
        if (outcome !== 'unchanged' && outcome !== 'stale') onChange(changesOf(...args));
        return result;
      };
    },
  });
}
