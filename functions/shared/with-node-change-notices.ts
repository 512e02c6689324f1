import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import type { ClusterStore } from '../../lib/ports/cluster-store.js';
import { notifyPodChanges } from '../../lib/store/notify-pod-changes.js';
import { observeStoreChanges } from '../../lib/store/observe-store-changes.js';
import { IotNodeChangeNotifier } from './iot-node-change-notifier.js';
import type { Observability } from './observability.js';

/**
 * The store of a function that writes pods (reconcile steps, the node path, pod deletions): with an IoT Core data
 * endpoint, each stored write that changed a node's desired pods publishes a notice to that node's agent before
 * the write returns; without one, the store itself (nothing is published).
 */
export function withNodeChangeNotices(
  store: ClusterStore,
  iotEndpoint: string | undefined,
  observability: Observability,
): ClusterStore {
  if (iotEndpoint === undefined) return store;
  const client = new IoTDataPlaneClient({
    endpoint: `https://${iotEndpoint}`,
    // A notice is a hint the agent's fallback poll backs up: a slow broker may not hold the write's caller for long.
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
  });
  return observeStoreChanges(store, notifyPodChanges(new IotNodeChangeNotifier(client, { observability })));
}
