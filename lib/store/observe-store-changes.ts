import { type DaemonSetKey, toDaemonSetKey } from '../model/daemon-set.js';
import type { ClusterStore } from '../ports/cluster-store.js';

/**
 * What one write changed: a DaemonSet's record (`daemonSet` alone), a node (`nodeName` alone), or a DaemonSet's
 * pods on a node (both). `write` names the store method; `pods` is true when the desired pods of that node changed
 * (a step's action, a pod deleted), which is what a node agent must learn of.
 */
export type StoreChange = Readonly<{ daemonSet?: DaemonSetKey; nodeName?: string; pods?: true }>;

/** The store's writes. */
export type StoreWrites = Pick<
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
const CHANGES: { readonly [name in keyof StoreWrites]: (...args: Parameters<StoreWrites[name]>) => StoreChange[] } = {
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
  deletePod: (key, request) => [{ daemonSet: key, nodeName: request.nodeName, pods: true }],
  applyStep: (key, step) => [
    { daemonSet: key },
    ...step.actions.map((action) => ({ daemonSet: key, nodeName: action.nodeName, pods: true as const })),
  ],
};

/**
 * The store, telling `onChange` after each write that changed something what it changed (writes answering
 * `unchanged` or `stale`, and failed ones, tell nothing): how the local control plane keeps its dashboard's view
 * up to date without reading the whole store, and how node agents learn that their pods changed (a push after the
 * write is stored, never before). Reads pass through untouched. `onChange` may return a promise: the write's
 * caller waits for it (a Lambda function must publish before it returns), and its failure is the write's.
 */
export function observeStoreChanges(
  store: ClusterStore,
  onChange: (changes: readonly StoreChange[]) => void | Promise<void>,
): ClusterStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const changesOf = Object.hasOwn(CHANGES, property)
        ? (CHANGES[property as keyof StoreWrites] as (...args: unknown[]) => StoreChange[])
        : undefined;
      if (changesOf === undefined) return value.bind(target);
      return async (...args: unknown[]) => {
        const result: unknown = await value.apply(target, args);
        const outcome = typeof result === 'object' && result !== null && 'outcome' in result ? result.outcome : result;
        if (outcome !== 'unchanged' && outcome !== 'stale') await onChange(changesOf(...args));
        return result;
      };
    },
  });
}
