import type { NodeChangeNotifier } from '../ports/node-change-notifier.js';
import type { StoreChange } from './observe-store-changes.js';

/**
 * The `observeStoreChanges` listener that tells `notifier` the nodes whose desired pods one write changed, each
 * once: a step creating three pods on one node and one on another tells two nodes. A write that changed no pods
 * tells nothing.
 *
 * @example
 * const store = observeStoreChanges(dynamoStore, notifyPodChanges(iotNotifier));
 */
export function notifyPodChanges(notifier: NodeChangeNotifier): (changes: readonly StoreChange[]) => Promise<void> {
  return async (changes) => {
    const nodeNames = new Set<string>();
    for (const change of changes) {
      if (change.pods === true && change.nodeName !== undefined) nodeNames.add(change.nodeName);
    }
    if (nodeNames.size > 0) await notifier.podsChanged([...nodeNames]);
  };
}
