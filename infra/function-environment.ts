import { DEFAULT_HEARTBEAT_INTERVAL_SECONDS } from '../lib/reconcile/apply-startup-gate.js';
import { DEFAULT_NODE_GRACE_PERIOD_MS } from '../lib/reconcile/plan-node-liveness.js';

/**
 * The environment variables every everynode function reads. Defined once so the stack that sets
 * them and `functions/shared/config.ts` that validates them cannot drift apart.
 */
export const FUNCTION_ENVIRONMENT = {
  tableName: 'TABLE_NAME',
  ingestQueueUrl: 'INGEST_QUEUE_URL',
  reconcileQueueUrl: 'RECONCILE_QUEUE_URL',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
  writeLagMs: 'EVERYNODE_WRITE_LAG_MS',
  gateJoins: 'EVERYNODE_GATE_JOINS',
  lifecycleHooks: 'EVERYNODE_LIFECYCLE_HOOKS',
  lifecycleHeartbeatSeconds: 'EVERYNODE_LIFECYCLE_HEARTBEAT_SECONDS',
  nodeGracePeriodSeconds: 'EVERYNODE_NODE_GRACE_PERIOD_SECONDS',
  iotEndpoint: 'EVERYNODE_IOT_ENDPOINT',
} as const;

/** Powertools log levels accepted in `POWERTOOLS_LOG_LEVEL`. */
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export type FunctionEnvironmentValues = Readonly<{
  tableName: string;
  ingestQueueUrl: string;
  reconcileQueueUrl: string;
  serviceName: string;
  metricsNamespace: string;
  logLevel: LogLevel;
  /** How late a write may land after the time it carries (the store's `writeLagMs`). */
  writeLagMs: number;
  /** Nodes joining from EC2 and Auto Scaling events are gated. @default false */
  gateJoins?: boolean;
  /** Complete Auto Scaling lifecycle actions. @default false */
  lifecycleHooks?: boolean;
  /** @default DEFAULT_HEARTBEAT_INTERVAL_SECONDS (1800) */
  lifecycleHeartbeatSeconds?: number;
  /** @default DEFAULT_NODE_GRACE_PERIOD_MS / 1000 (50) */
  nodeGracePeriodSeconds?: number;
  /** The IoT Core data endpoint the functions that write pods publish node change notices to. @default - none: nothing is published */
  iotEndpoint?: string;
}>;

/**
 * Maps values onto the variable names. Every function receives all of them, so one `loadConfig`
 * serves every entry point and none fails its cold start for want of a variable; the IoT endpoint, which is
 * optional, goes only to the functions that write pods.
 */
export function toFunctionEnvironment(values: FunctionEnvironmentValues): Record<string, string> {
  return {
    [FUNCTION_ENVIRONMENT.tableName]: values.tableName,
    [FUNCTION_ENVIRONMENT.ingestQueueUrl]: values.ingestQueueUrl,
    [FUNCTION_ENVIRONMENT.reconcileQueueUrl]: values.reconcileQueueUrl,
    [FUNCTION_ENVIRONMENT.serviceName]: values.serviceName,
    [FUNCTION_ENVIRONMENT.metricsNamespace]: values.metricsNamespace,
    [FUNCTION_ENVIRONMENT.logLevel]: values.logLevel,
    [FUNCTION_ENVIRONMENT.writeLagMs]: String(values.writeLagMs),
    [FUNCTION_ENVIRONMENT.gateJoins]: String(values.gateJoins ?? false),
    [FUNCTION_ENVIRONMENT.lifecycleHooks]: String(values.lifecycleHooks ?? false),
    [FUNCTION_ENVIRONMENT.lifecycleHeartbeatSeconds]: String(
      values.lifecycleHeartbeatSeconds ?? DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
    ),
    [FUNCTION_ENVIRONMENT.nodeGracePeriodSeconds]: String(
      values.nodeGracePeriodSeconds ?? DEFAULT_NODE_GRACE_PERIOD_MS / 1000,
    ),
    ...(values.iotEndpoint === undefined ? {} : { [FUNCTION_ENVIRONMENT.iotEndpoint]: values.iotEndpoint }),
  };
}
