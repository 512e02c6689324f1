import * as z from 'zod';

const configSchema = z.object({
  TABLE_NAME: z.string().min(1),
  INGEST_QUEUE_URL: z.url(),
  RECONCILE_QUEUE_URL: z.url(),
  EVERYNODE_WRITE_LAG_MS: z.coerce.number().int().min(1000).optional(),
  EVERYNODE_GATE_JOINS: z.enum(['true', 'false']).optional(),
  EVERYNODE_LIFECYCLE_HOOKS: z.enum(['true', 'false']).optional(),
  EVERYNODE_LIFECYCLE_HEARTBEAT_SECONDS: z.coerce.number().int().min(30).max(7200).optional(),
  EVERYNODE_NODE_GRACE_PERIOD_SECONDS: z.coerce.number().int().min(10).max(86_400).optional(),
  EVERYNODE_IOT_ENDPOINT: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, 'must be a host name, without https://')
    .optional(),
});

/** What every everynode function needs from its environment. */
export type Config = Readonly<{
  tableName: string;
  ingestQueueUrl: string;
  reconcileQueueUrl: string;
  /** The store's `writeLagMs`; the store's default when unset. */
  writeLagMs?: number;
  /** Nodes that join from EC2 and Auto Scaling events carry the startup taint. */
  gateJoins: boolean;
  /** Complete Auto Scaling lifecycle actions (the stack grants the calls on its named groups). */
  lifecycleHooks: boolean;
  /** Seconds between lifecycle heartbeats while a launch waits for its gate; the core's default when unset. */
  heartbeatIntervalSeconds?: number;
  /** How long a node agent may go without a heartbeat before its node is marked unreachable; the core's default when unset. */
  nodeGracePeriodSeconds?: number;
  /**
   * The account's AWS IoT Core data endpoint (`<prefix>-ats.iot.<region>.amazonaws.com`): node agents are told of
   * their pods' changes through it. Unset, nothing is published (local runs, tests, a stack without the push channel).
   */
  iotEndpoint?: string;
}>;

/**
 * Reads and validates the function's environment once per cold start; a missing or malformed variable
 * fails the cold start at once, naming every problem.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`);
    throw new Error(`invalid function configuration: ${problems.join('; ')}`);
  }
  return {
    tableName: result.data.TABLE_NAME,
    ingestQueueUrl: result.data.INGEST_QUEUE_URL,
    reconcileQueueUrl: result.data.RECONCILE_QUEUE_URL,
    ...(result.data.EVERYNODE_WRITE_LAG_MS === undefined ? {} : { writeLagMs: result.data.EVERYNODE_WRITE_LAG_MS }),
    gateJoins: result.data.EVERYNODE_GATE_JOINS === 'true',
    lifecycleHooks: result.data.EVERYNODE_LIFECYCLE_HOOKS === 'true',
    ...(result.data.EVERYNODE_LIFECYCLE_HEARTBEAT_SECONDS === undefined
      ? {}
      : { heartbeatIntervalSeconds: result.data.EVERYNODE_LIFECYCLE_HEARTBEAT_SECONDS }),
    ...(result.data.EVERYNODE_NODE_GRACE_PERIOD_SECONDS === undefined
      ? {}
      : { nodeGracePeriodSeconds: result.data.EVERYNODE_NODE_GRACE_PERIOD_SECONDS }),
    ...(result.data.EVERYNODE_IOT_ENDPOINT === undefined ? {} : { iotEndpoint: result.data.EVERYNODE_IOT_ENDPOINT }),
  };
}
