import * as z from 'zod';

const configSchema = z.object({
  TABLE_NAME: z.string().min(1),
  INGEST_QUEUE_URL: z.url(),
  RECONCILE_QUEUE_URL: z.url(),
});

/** What every everynode function needs from its environment. */
export type Config = Readonly<{ tableName: string; ingestQueueUrl: string; reconcileQueueUrl: string }>;

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
  };
}
