import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { WRITE_LAG_MS } from '../../infra/sizing.js';
import { DynamoClusterStore } from '../../lib/store/dynamo/dynamo-cluster-store.js';
import { createTable } from '../../lib/store/dynamo/table.js';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { BenchClock, BenchPipeline } from './bench-pipeline.js';
import { CapacityMeter } from './capacity-meter.js';
import { MeteredStore } from './metered-store.js';

/** DynamoDB Local with a metered client; one table per scenario. */
export type DynamoHarness = Readonly<{
  endpoint: string;
  meter: CapacityMeter;
  /** A fresh table, the production store on it (metered), and a pipeline around the real handlers. */
  openPipeline: (name: string) => Promise<BenchPipeline>;
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
  return {
    endpoint: local.endpoint,
    meter,
    openPipeline: async (name) => {
      tables += 1;
      const tableName = `bench-${tables}-${name}`.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 200);
      await createTable(client, tableName);
      const clock = new BenchClock();
      const store = new MeteredStore(
        // The look-back the deployed stack gives its functions (infra/sizing.ts).
        new DynamoClusterStore(documents, tableName, { now: clock.now, writeLagMs: WRITE_LAG_MS }),
        meter,
        clock.now,
        new DynamoClusterStore(documents, tableName, { now: clock.now, writeLagMs: WRITE_LAG_MS }),
      );
      return new BenchPipeline(store, clock);
    },
    stop: async () => {
      client.destroy();
      await local.stop();
    },
  };
}
