import { DynamoClusterStore } from '../../lib/store/dynamo/dynamo-cluster-store.js';
import { localDynamo } from './local-dynamo.js';
import { describeClusterStoreContract } from './store-contract.js';

// One table per test: nodes and DaemonSets of the same names would otherwise meet in the same partitions.
const dynamo = localDynamo('store-contract');

describeClusterStoreContract(
  'DynamoDB',
  async (options) => new DynamoClusterStore(dynamo.documentClient, await dynamo.newTable(), options),
);
