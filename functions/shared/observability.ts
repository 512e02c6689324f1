import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** The logger and metrics a handler reports through. Tests and the local control plane pass their own. */
export type Observability = Readonly<{ logger: Logger; metrics: Metrics }>;

/** CloudWatch namespace of every everynode metric. */
export const METRICS_NAMESPACE = 'everynode';

/** Metric names, so dashboards and alarms (infra/) spell them the same way. */
export const METRIC = {
  terminalFailures: 'TerminalFailures',
  ignoredEvents: 'IgnoredEvents',
  factsStored: 'FactsStored',
  reconcilePasses: 'ReconcilePasses',
  reconcileRechecks: 'ReconcileRechecks',
  /** Reconciles not enqueued (by ingest, or as an immediate re-check) because one was already pending. */
  reconcilesCoalesced: 'ReconcilesCoalesced',
  /** Passes that lost their version race while another pass was pending, and left the DaemonSet to it. */
  reconcilesHandedOver: 'ReconcilesHandedOver',
  daemonSetsResynced: 'DaemonSetsResynced',
  /** Nodes the node lifecycle controller marked unreachable (heartbeats stopped) or Ready again. */
  nodesUnreachable: 'NodesUnreachable',
  nodesRecovered: 'NodesRecovered',
  /** Node change notices published to node agents through IoT Core, and those that failed (the agent polls later). */
  nodeNoticesPublished: 'NodeNoticesPublished',
  nodeNoticesFailed: 'NodeNoticesFailed',
} as const;

export { MetricUnit };

/**
 * Powertools Logger and Metrics for one function. Level, sampling and disabling come from the usual
 * Powertools variables (`POWERTOOLS_LOG_LEVEL`, `POWERTOOLS_METRICS_DISABLED`, `POWERTOOLS_DEV`).
 */
export function createObservability(serviceName: string): Observability {
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName }),
  };
}
