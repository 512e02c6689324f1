import { checkNodeLiveness, type NodeLivenessDeps } from './check-node-liveness.js';
import { METRIC, MetricUnit, type Observability } from './shared/observability.js';

export type NodeLivenessHandlerDeps = NodeLivenessDeps & Readonly<{ observability: Observability; now: () => number }>;

export type NodeLivenessResult = Readonly<{ unreachable: readonly string[]; recovered: readonly string[] }>;

/**
 * The scheduled node lifecycle controller (an EventBridge rule invokes it every minute by default): one
 * `checkNodeLiveness` pass, its changes logged and counted. Failures propagate; the scheduler retries, and
 * an overlapping or repeated pass changes nothing twice.
 */
export function makeNodeLivenessHandler(
  deps: NodeLivenessHandlerDeps,
): (event?: unknown) => Promise<NodeLivenessResult> {
  const { logger, metrics } = deps.observability;
  return async () => {
    try {
      const changes = await checkNodeLiveness(deps, deps.now());
      const named = (change: 'unreachable' | 'recovered') =>
        changes.filter((entry) => entry.change === change).map((entry) => entry.node.name);
      const result = { unreachable: named('unreachable'), recovered: named('recovered') };
      metrics.addMetric(METRIC.nodesUnreachable, MetricUnit.Count, result.unreachable.length);
      metrics.addMetric(METRIC.nodesRecovered, MetricUnit.Count, result.recovered.length);
      for (const name of result.unreachable) {
        logger.warn('node is NotReady: its agent stopped sending heartbeats or its MQTT connection closed', {
          node: name,
        });
      }
      for (const name of result.recovered) logger.info('node is Ready again: its agent is back', { node: name });
      return result;
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  };
}
