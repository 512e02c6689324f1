import { buildDashboardState, type DaemonSetPod } from '../dashboard/build-dashboard-state.js';
import type { DashboardState } from '../dashboard/dashboard-state.js';
import { toDaemonSetKey } from '../lib/model/daemon-set.js';
import type { ClusterStore } from '../lib/ports/cluster-store.js';

/** Reads what the dashboard shows (every DaemonSet, node and pod) and builds its state. */
export async function loadDashboardState(store: ClusterStore, now: number): Promise<DashboardState> {
  const [daemonSets, nodes] = await Promise.all([store.listDaemonSets(), store.listNodes()]);
  const podLists = await Promise.all(
    daemonSets.map(async ({ daemonSet }) => {
      const key = toDaemonSetKey(daemonSet.namespace, daemonSet.name);
      return (await store.listPods(key)).map((pod): DaemonSetPod => ({ ...pod, daemonSet: key }));
    }),
  );
  return buildDashboardState({ daemonSets, nodes, pods: podLists.flat() }, now);
}
