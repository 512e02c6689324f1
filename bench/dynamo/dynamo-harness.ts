import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { WRITE_LAG_MS } from '../../infra/sizing.js';
import { DynamoClusterStore } from '../../lib/store/dynamo/dynamo-cluster-store.js';
import { InFlightWrites } from '../../lib/store/dynamo/in-flight-writes.js';
import { createTable } from '../../lib/store/dynamo/table.js';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { BenchClock, BenchPipeline } from './bench-pipeline.js';
import { CapacityMeter } from './capacity-meter.js';
import { MeteredStore } from './metered-store.js';

/**
 * How a pipeline runs: `oneWriter`, the local control plane's look-back (default: the stack's); `ingestConcurrency`,
 * ingest batches side by side (default 1: the per-key peak model assumes one batch at a time; the stack runs 5).
 */
export type PipelineOptions = Readonly<{ oneWriter?: boolean; ingestConcurrency?: number }>;

/** DynamoDB Local with a metered client; one table per scenario. */
export type DynamoHarness = Readonly<{
  endpoint: string;
  meter: CapacityMeter;
  /**
   * A fresh table, the production store on it (metered), and a pipeline around the real handlers. The stores look
   * back as the deployed stack's do (`WRITE_LAG_MS`), or, with `oneWriter`, as the local control plane's do: one
   * process writes the table, so they look back only past its writes under way (`InFlightWrites`).
   */
  openPipeline: (name: string, options?: PipelineOptions) => Promise<BenchPipeline>;
  stop: () => Promise<void>;
}>;

export async function startDynamoHarness(): Promise<DynamoHarness> {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
  const local: DynamoDbLocal = await startDynamoDbLocal({ inMemory: true });
  const client = new DynamoDBClient({
    endpoint: local.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 5,
  });
  const meter = new CapacityMeter();
  meter.attach(client);
  // The same marshalling options as the Lambda functions (functions/shared/wire-lambda-deps.ts).
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  let tables = 0;
  let writes: InFlightWrites | undefined;
  const oneWriter = (): InFlightWrites => {
    if (writes === undefined) {
      writes = new InFlightWrites();
      writes.watch(client);
    }
    return writes;
  };
  return {
    endpoint: local.endpoint,
    meter,
    openPipeline: async (name, options = {}) => {
      tables += 1;
      const tableName = `bench-${tables}-${name}`.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 200);
      await createTable(client, tableName);
      const clock = new BenchClock();
      // The look-back the deployed stack gives its functions (infra/sizing.ts), or the local control plane's.
      const settings = {
        now: clock.now,
        writeLagMs: WRITE_LAG_MS,
        ...(options.oneWriter === true ? { inFlightWrites: oneWriter() } : {}),
      };
      const store = new MeteredStore(
        new DynamoClusterStore(documents, tableName, settings),
        meter,
        clock.now,
        new DynamoClusterStore(documents, tableName, settings),
      );
      return new BenchPipeline(store, clock, options.ingestConcurrency ?? 1);
    },
    stop: async () => {
      client.destroy();
      await local.stop();
    },
  };
}
