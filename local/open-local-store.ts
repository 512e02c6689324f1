import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClusterStore } from '../lib/ports/cluster-store.js';
import type { HeartbeatStore } from '../lib/ports/heartbeat-store.js';
import { DynamoClusterStore } from '../lib/store/dynamo/dynamo-cluster-store.js';
import { DynamoHeartbeatStore } from '../lib/store/dynamo/dynamo-heartbeat-store.js';
import { InFlightWrites } from '../lib/store/dynamo/in-flight-writes.js';
import { createTable } from '../lib/store/dynamo/table.js';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { LoggingClusterStore } from './logging-cluster-store.js';

export type LocalStoreOptions = Readonly<{
  stateDir: string;
  inMemory: boolean;
  tableName: string;
  /** An already running DynamoDB (Local); otherwise one is started. */
  endpoint?: string;
  log: (line: string) => void;
}>;

/** The local control plane's store, and what is needed to shut it down. */
export type LocalStore = Readonly<{
  store: ClusterStore;
  /** A second store on the same table with caches of its own, for the simulated agents' watch. */
  agentStore: ClusterStore;
  /** Node agents' heartbeats, in the same table. */
  heartbeats: HeartbeatStore;
  endpoint: string;
  close: () => Promise<void>;
}>;

/** DynamoDB Local accepts any credentials; with `-sharedDb` they all see one database. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/**
 * Opens the store the local control plane uses: the production `DynamoClusterStore` against DynamoDB
 * Local (started here, state kept in `<stateDir>/dynamodb` unless in memory), with the table created on
 * first use, wrapped so every change is told as one readable log line.
 */
export async function openLocalStore(options: LocalStoreOptions): Promise<LocalStore> {
  const started =
    options.endpoint === undefined
      ? await startDynamoDbLocal({
          ...(options.inMemory ? { inMemory: true as const } : { dbPath: join(options.stateDir, 'dynamodb') }),
          progress: options.log,
        })
      : undefined;
  const endpoint = options.endpoint ?? started?.endpoint ?? '';
  if (started !== undefined) {
    options.log(`DynamoDB Local at ${endpoint} (${options.inMemory ? 'in memory' : `data in ${options.stateDir}`})`);
  }
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: LOCAL_CREDENTIALS, maxAttempts: 5 });
  try {
    await createTable(client, options.tableName);
    const documents = DynamoDBDocumentClient.from(client);
    // This process is the table's only writer (agents and the CLI go through its API), so its stores share what
    // it is writing, and their warm reads look back only past that instead of the cross-process 20 minutes.
    const inFlightWrites = new InFlightWrites();
    inFlightWrites.watch(client);
    const store = new DynamoClusterStore(documents, options.tableName, { inFlightWrites });
    return {
      store: new LoggingClusterStore(store, options.log),
      agentStore: new DynamoClusterStore(documents, options.tableName, { inFlightWrites }),
      heartbeats: new DynamoHeartbeatStore(documents, options.tableName),
      endpoint,
      close: async () => {
        client.destroy();
        await started?.stop();
      },
    };
  } catch (error) {
    client.destroy();
    await started?.stop();
    throw error;
  }
}
