import { describe } from 'vitest';
import { describeDaemonSetFacts, describeNodeFacts, describeRecordsAndCopies } from './store-contract-facts.js';
import type { MakeStore } from './store-contract-fixtures.js';
import { describeNodeLifecycleWrites } from './store-contract-node-lifecycle.js';
import { describePendingReconciles } from './store-contract-pending.js';
import { describePodDeletion } from './store-contract-pod-deletion.js';
import { describePods } from './store-contract-pods.js';
import { describeSteps } from './store-contract-steps.js';
import { describeVersions } from './store-contract-versions.js';

/**
 * The behaviour every `ClusterStore` shares, run against the in-memory store and against DynamoDB Local
 * so the fake stays honest. `makeStore` returns a fresh, empty store for each test.
 */
export function describeClusterStoreContract(name: string, makeStore: MakeStore): void {
  describe(`${name} cluster store contract`, () => {
    describe('node facts', () => describeNodeFacts(makeStore));
    describe('node lifecycle writes', () => describeNodeLifecycleWrites(makeStore));
    describe('daemon set facts', () => describeDaemonSetFacts(makeStore));
    describe('reconcile steps', () => describeSteps(makeStore));
    describe('versions, listings and events', () => describeVersions(makeStore));
    describe('pods', () => describePods(makeStore));
    describe('pod deletions by users', () => describePodDeletion(makeStore));
    describe('rejections and copies', () => describeRecordsAndCopies(makeStore));
    describe('pending reconciles', () => describePendingReconciles(makeStore));
  });
}
