import { expect, it } from 'vitest';
import type { PodDeletionRequest } from '../../lib/model/pod.js';
import type { ClusterStore } from '../../lib/ports/cluster-store.js';
import { aDaemonSet } from '../fixtures/builders/a-daemon-set.js';
import { aReport, aRevision, aStep, at, createPod, deletePod, KEY, type MakeStore } from './store-contract-fixtures.js';

// A user's pod deletion (`kubectl delete pod`, the `PodDeleted` fact): conditional on the pod's name and creation
// time, so redelivery, reordering and a race with the controller never touch a replacement.

const EPOCH = Date.UTC(2026, 0, 1);

/** A store whose clock (the pods' creation time) the test moves. */
async function aClockedStore(makeStore: MakeStore) {
  const clock = { now: EPOCH + 3_600_000 };
  const store = await makeStore({ now: () => clock.now });
  await store.applyDaemonSet(aDaemonSet('agent').build(), at(1));
  const revision = aRevision('hash-1', 1, aDaemonSet('agent').build().template);
  await store.applyStep(KEY, aStep({ revisions: [{ kind: 'createRevision', revision }] }), await versionOf(store));
  return { store, clock };
}

async function versionOf(store: ClusterStore): Promise<number> {
  return (await store.getDaemonSet(KEY))?.version ?? 0;
}

async function create(store: ClusterStore, podName: string, nodeName: string): Promise<string> {
  await store.applyStep(KEY, aStep({ actions: [createPod(podName, nodeName)] }), await versionOf(store));
  const pod = (await store.listPods(KEY)).find((candidate) => candidate.name === podName);
  if (pod === undefined) throw new Error(`${podName} was not created`);
  return pod.creationTimestamp;
}

const request = (name: string, creationTimestamp: string, gracePeriodSeconds?: number): PodDeletionRequest => ({
  name,
  nodeName: 'node-a',
  creationTimestamp,
  ...(gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds }),
});

const podNamed = async (store: ClusterStore, name: string) =>
  (await store.listPods(KEY)).find((pod) => pod.name === name);

export function describePodDeletion(makeStore: MakeStore): void {
  it('marks the pod terminating once: a redelivery keeps the first deletionTimestamp', async () => {
    const { store } = await aClockedStore(makeStore);
    const created = await create(store, 'agent-a', 'node-a');

    const first = await store.deletePod(KEY, request('agent-a', created), at(4000));
    const again = await store.deletePod(KEY, request('agent-a', created), at(4005));

    expect([first, again]).toEqual(['stored', 'unchanged']);
    expect(await podNamed(store, 'agent-a')).toMatchObject({ deletionTimestamp: at(4000) });
    // Its agent's `gone` report ends it, as it ends a pod the controller deleted.
    await store.putPodStatus(aReport('agent-a', 'node-a', at(4010), { phase: 'Succeeded', ready: false, gone: true }));
    expect(await podNamed(store, 'agent-a')).toBeUndefined();
  });

  it('leaves the replacement alone when a deletion is redelivered after the pod it named is gone', async () => {
    const { store, clock } = await aClockedStore(makeStore);
    const created = await create(store, 'agent-a', 'node-a');
    await store.deletePod(KEY, request('agent-a', created), at(4000));
    await store.putPodStatus(aReport('agent-a', 'node-a', at(4010), { phase: 'Succeeded', ready: false, gone: true }));
    clock.now += 60_000;
    await create(store, 'agent-b', 'node-a');

    expect(await store.deletePod(KEY, request('agent-a', created), at(4000))).toBe('stale');
    expect(await podNamed(store, 'agent-b')).not.toHaveProperty('deletionTimestamp');
  });

  it('does not delete a pod of the same name created after the one the deletion named', async () => {
    const { store, clock } = await aClockedStore(makeStore);
    const first = await create(store, 'agent-a', 'node-a');
    await store.applyStep(
      KEY,
      aStep({ actions: [deletePod('agent-a', 'node-a', 'orphaned')] }),
      await versionOf(store),
    );
    clock.now += 60_000;
    const second = await create(store, 'agent-a', 'node-a');

    expect(second).not.toBe(first);
    expect(await store.deletePod(KEY, request('agent-a', first), at(4000))).toBe('stale');
    expect(await podNamed(store, 'agent-a')).not.toHaveProperty('deletionTimestamp');
  });

  it('keeps the controller’s deletionTimestamp when a user deletes a pod it already deletes', async () => {
    const { store, clock } = await aClockedStore(makeStore);
    const created = await create(store, 'agent-a', 'node-a');
    await store.applyStep(KEY, aStep({ actions: [deletePod('agent-a', 'node-a')] }), await versionOf(store));
    const marked = (await podNamed(store, 'agent-a'))?.deletionTimestamp;
    clock.now += 60_000;

    expect(await store.deletePod(KEY, request('agent-a', created), at(9000))).toBe('unchanged');
    expect((await podNamed(store, 'agent-a'))?.deletionTimestamp).toBe(marked);
  });

  it('removes the pod and its status at once for a grace period of 0, and only once', async () => {
    const { store } = await aClockedStore(makeStore);
    const created = await create(store, 'agent-a', 'node-a');
    await create(store, 'agent-b', 'node-b');
    await store.putPodStatus(aReport('agent-a', 'node-a', at(3620)));

    expect(await store.deletePod(KEY, request('agent-a', created, 0), at(4000))).toBe('stored');
    expect(await store.deletePod(KEY, request('agent-a', created, 0), at(4000))).toBe('stale');
    expect((await store.listPods(KEY)).map((pod) => pod.name)).toEqual(['agent-b']);
    expect((await store.listPodsOnNode('node-a')).map((pod) => pod.name)).toEqual([]);
  });

  it('lets exactly one of two concurrent deletions of a pod mark it', async () => {
    const { store } = await aClockedStore(makeStore);
    const created = await create(store, 'agent-a', 'node-a');

    const outcomes = await Promise.all([
      store.deletePod(KEY, request('agent-a', created), at(4000)),
      store.deletePod(KEY, request('agent-a', created), at(4001)),
    ]);

    expect(outcomes.toSorted()).toEqual(['stored', 'unchanged']);
    expect([at(4000), at(4001)]).toContain((await podNamed(store, 'agent-a'))?.deletionTimestamp);
  });

  it('shows a terminating pod to its node’s agent', async () => {
    const { store } = await aClockedStore(makeStore);
    const created = await create(store, 'agent-a', 'node-a');
    await store.deletePod(KEY, request('agent-a', created), at(4000));

    expect(await store.listPodsOnNode('node-a')).toMatchObject([{ name: 'agent-a', deletionTimestamp: at(4000) }]);
  });
}
