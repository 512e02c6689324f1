import * as z from 'zod';

const configSchema = z.object({
  TABLE_NAME: z.string().min(1),
  INGEST_QUEUE_URL: z.url(),
  RECONCILE_QUEUE_URL: z.url(),
  EVERYNODE_WRITE_LAG_MS: z.coerce.number().int().min(1000).optional(),
});

/** What every everynode function needs from its environment. */
export type Config = Readonly<{
  tableName: string;
  ingestQueueUrl: string;
  reconcileQueueUrl: string;
  /** The store's `writeLagMs`; the store's default when unset. */
  writeLagMs?: number;
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
  };
}
