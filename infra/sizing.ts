import { Duration } from 'aws-cdk-lib';

/** Timeouts, memory and concurrency per function; the queues are sized from these. */
export const SIZING = {
  ingest: { timeout: Duration.seconds(30), memorySize: 256, maxConcurrency: 5, batchSize: 10, maxReceiveCount: 5 },
  // A hot DaemonSet can lose a few version races in a row before a pass lands.
  reconcile: { timeout: Duration.seconds(60), memorySize: 512, maxConcurrency: 10, batchSize: 5, maxReceiveCount: 10 },
  api: { timeout: Duration.seconds(10), memorySize: 256 },
  resync: { timeout: Duration.seconds(60), memorySize: 256 },
  // Reads the heartbeat shards (10,000 nodes: about 600 KB in 8 queries), then one claim and one read per change.
  nodeLiveness: { timeout: Duration.seconds(50), memorySize: 256 },
} as const;

/**
 * The stack's `writeLagMs` (docs/decisions/0005): no write can be in flight longer than the function that sent
 * it runs, so the longest timeout plus a minute for clock skew and a request already on the wire. Every warm
 * read looks back this far; the store's 20-minute default would make each one list every write of the last
 * 20 minutes (a whole rollout) again.
 */
export const WRITE_LAG_MS =
  (Math.max(...Object.values(SIZING).map((sizing) => sizing.timeout.toSeconds())) + 60) * 1000;
