import type { ClusterStore } from '../lib/ports/cluster-store.js';
import type { WorkQueue } from '../lib/ports/work-queue.js';
import { METRIC, MetricUnit, type Observability } from './shared/observability.js';

export type ResyncHandlerDeps = Readonly<{ store: ClusterStore; workQueue: WorkQueue; observability: Observability }>;

export type ResyncResult = Readonly<{ enqueued: number }>;

/**
 * The periodic resync (a schedule invokes it): every DaemonSet is put on the reconcile queue, so a lost
 * message or a missed event costs at most one period. Failures propagate; the scheduler retries.
 */
export function makeResyncHandler(deps: ResyncHandlerDeps): (event?: unknown) => Promise<ResyncResult> {
  const { logger, metrics } = deps.observability;
  return async () => {
    try {
      const keys = await deps.store.listDaemonSetKeys();
      await deps.workQueue.enqueue(keys);
      metrics.addMetric(METRIC.daemonSetsResynced, MetricUnit.Count, keys.length);
      logger.info('resync enqueued every daemon set', { count: keys.length });
      return { enqueued: keys.length };
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  };
}
