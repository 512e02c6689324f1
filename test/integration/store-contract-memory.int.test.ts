import { InMemoryClusterStore } from '../../lib/store/memory/in-memory-cluster-store.js';
import { describeClusterStoreContract } from './store-contract.js';

describeClusterStoreContract('in-memory', async (options) => new InMemoryClusterStore(options));
