import { describe, expect, it } from 'vitest';
import type { IngestEvent } from '../../lib/messages/ingest-event.js';
import type { ClusterStore } from '../../lib/ports/cluster-store.js';
import { VersionConflictError } from '../../lib/ports/errors.js';
import type { RolloutCommandName } from '../../lib/ports/rollout-command.js';
import { applyIngestEvent } from '../../lib/reconcile/apply-ingest-event.js';
import { DynamoClusterStore } from '../../lib/store/dynamo/dynamo-cluster-store.js';
import { InMemoryClusterStore } from '../../lib/store/memory/in-memory-cluster-store.js';
import type { ClusterStoreOptions } from '../../lib/store/plan/store-options.js';
import { aDaemonSet } from '../fixtures/builders/a-daemon-set.js';
import { localDynamo } from './local-dynamo.js';
import {
  aReport,
  aRevision,
  aStep,
  at,
  createPod,
  deletePod,
  KEY,
  type MakeStore,
  NOW,
  versionOf,
} from './store-contract-fixtures.js';

// Issue 12's races: a fact's decision is made on the same read its conditional write is guarded by, each rollout
// switch is ordered by its own time, and a removal never deletes what a re-apply created. Each test failed before
// the fix it pins.

const dynamo = localDynamo('fact-races');
const dynamoStore: MakeStore = async (options) =>
  new DynamoClusterStore(dynamo.documentClient, await dynamo.newTable(), options);
const memoryStore: MakeStore = async (options) => new InMemoryClusterStore(options);

const apply = (seconds: number, annotations: Record<string, string> = {}): IngestEvent => ({
  type: 'DaemonSetApplied',
  daemonSet: aDaemonSet('agent').annotated(annotations).build(),
  // As unsetRolloutSwitches reads a manifest: what it leaves unset is kept (no manifest here names restartedAt).
  keeps: [...(['paused', 'frozen'] as const).filter((name) => !(`everynode.io/${name}` in annotations)), 'restartedAt'],
  observedAt: at(seconds),
});
const command = (name: RolloutCommandName, seconds: number): IngestEvent => ({
  type: 'RolloutCommand',
  key: KEY,
  command: name,
  observedAt: at(seconds),
});

async function ingest(store: ClusterStore, ...events: IngestEvent[]): Promise<void> {
  for (const event of events) await applyIngestEvent(event, { store, now: () => NOW });
}

const rolloutOf = async (store: ClusterStore) => (await store.getDaemonSet(KEY))?.daemonSet.rollout;

describe.each([
  ['in-memory', memoryStore],
  ['DynamoDB', dynamoStore],
] as const)('rollout switches and applies (%s store)', (_name, makeStore) => {
  it('keeps a resume stored while an apply that leaves the switch unset is in flight', async () => {
    let store: ClusterStore | undefined;
    let raced = false;
    const options: ClusterStoreOptions = {
      now: () => NOW,
      hooks: {
        // The apply has been received and is about to be stored; a resume lands first.
        beforeWrite: async (operation) => {
          if (operation !== 'applyDaemonSet' || raced || store === undefined) return;
          raced = true;
          await ingest(store, command('resume', 4));
        },
      },
    };
    store = await makeStore(options);
    raced = true;
    await ingest(store, apply(1), command('pause', 2));
    raced = false;

    await ingest(store, apply(3));

    expect(raced).toBe(true);
    expect(await rolloutOf(store)).toMatchObject({ paused: false });
    expect((await store.getDaemonSet(KEY))?.daemonSet.annotations).not.toHaveProperty('everynode.io/paused');
  });

  it('orders each switch by its own time: a late, older pause or freeze changes nothing', async () => {
    const store = await makeStore({ now: () => NOW });
    await ingest(store, apply(1), command('pause', 2), command('freeze', 3), command('resume', 5));
    await ingest(store, command('unfreeze', 6));

    await ingest(store, command('pause', 4), command('freeze', 4), command('pause', 2));

    expect(await rolloutOf(store)).toMatchObject({ paused: false, frozen: false });
  });

  it('lets a switch newer than an apply win over the value the manifest names, and a newer apply win over it', async () => {
    const store = await makeStore({ now: () => NOW });
    await ingest(store, apply(1, { 'everynode.io/paused': 'false' }), command('pause', 3));

    // An older apply, delivered late, that names the switch: the newer pause stands.
    await ingest(store, apply(2, { 'everynode.io/paused': 'false' }));
    const afterOlder = await rolloutOf(store);
    // A newer apply that names it wins.
    await ingest(store, apply(4, { 'everynode.io/paused': 'false' }));

    expect(afterOlder).toMatchObject({ paused: true });
    expect(await rolloutOf(store)).toMatchObject({ paused: false });
  });

  it("keeps rollout restart's restartedAt across an apply whose manifest leaves it unset", async () => {
    const store = await makeStore({ now: () => NOW });
    await ingest(store, apply(1), command('restart', 2));
    const restarted = (await store.getDaemonSet(KEY))?.daemonSet.template.metadata.annotations;

    await ingest(store, apply(3));

    expect(restarted).toHaveProperty(['kubectl.kubernetes.io/restartedAt']);
    expect((await store.getDaemonSet(KEY))?.daemonSet.template.metadata.annotations).toEqual(restarted);
  });

  it('keeps a switch across an apply that leaves it unset, whatever their order', async () => {
    const store = await makeStore({ now: () => NOW });
    await ingest(store, apply(1), command('freeze', 3), apply(2), apply(4));

    expect(await rolloutOf(store)).toMatchObject({ frozen: true });
  });
});

describe('removing a deleted DaemonSet (DynamoDB store)', () => {
  it('stops, deleting nothing of it, when the DaemonSet is applied again after the removal claimed it', async () => {
    let store: ClusterStore | undefined;
    let reapplied = false;
    store = await dynamoStore({
      now: () => NOW,
      hooks: {
        afterRemovalClaim: async () => {
          if (store === undefined || reapplied) return;
          reapplied = true;
          // Applied again at once: the new DaemonSet's reconcile writes a revision and a pod.
          await store.applyDaemonSet(aDaemonSet('agent').withImage('agent:2').build(), at(60));
          const revision = aRevision('hash-2', 2, aDaemonSet('agent').withImage('agent:2').build().template);
          await store.applyStep(
            KEY,
            aStep({
              revisions: [{ kind: 'createRevision', revision }],
              actions: [createPod('agent-b', 'node-a', 'hash-2')],
            }),
            await versionOf(store),
          );
        },
      },
    });
    await store.applyDaemonSet(aDaemonSet('agent').build(), at(1));
    const revision = aRevision('hash-1', 1, aDaemonSet('agent').build().template);
    let version = await versionOf(store);
    await store.applyStep(
      KEY,
      aStep({ revisions: [{ kind: 'createRevision', revision }], actions: [createPod('agent-a', 'node-a')] }),
      version,
    );
    await store.deleteDaemonSet(KEY, at(40));
    version = await versionOf(store);
    await store.applyStep(KEY, aStep({ actions: [deletePod('agent-a', 'node-a')] }), version);
    await store.putPodStatus(aReport('agent-a', 'node-a', at(50), { gone: true }));

    const removing = store.applyStep(KEY, aStep(), version + 1);

    await expect(removing).rejects.toBeInstanceOf(VersionConflictError);
    expect(reapplied).toBe(true);
    expect((await store.getDaemonSet(KEY))?.daemonSet.deletionTimestamp).toBeUndefined();
    expect((await store.listPods(KEY)).map((pod) => pod.name)).toEqual(['agent-b']);
    expect((await store.listRevisions(KEY)).map((each) => each.hash)).toContain('hash-2');
  });
});
