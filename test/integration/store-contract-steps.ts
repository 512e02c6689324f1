import { expect, it } from 'vitest';
import type { ClusterSnapshot } from '../../lib/ports/cluster-snapshot.js';
import type { ClusterStore } from '../../lib/ports/cluster-store.js';
import { VersionConflictError } from '../../lib/ports/errors.js';
import { aDaemonSet } from '../fixtures/builders/a-daemon-set.js';
import { aNode } from '../fixtures/builders/a-node.js';
import {
  aRevision,
  aStatus,
  aStep,
  at,
  createPod,
  KEY,
  type MakeStore,
  NOW,
  versionOf,
} from './store-contract-fixtures.js';

const options = { now: () => NOW };
/** Large steps in chunked transactions even on DynamoDB, which otherwise writes them as claimed steps. */
const CHUNKED = { claimedStepItems: Number.POSITIVE_INFINITY };
const template = aDaemonSet('agent').build().template;
const event = (reason: string, seconds: number) =>
  ({ type: 'Normal', reason, message: `${reason} happened`, time: at(seconds) }) as const;

async function withDaemonSet(store: ClusterStore): Promise<number> {
  await store.applyDaemonSet(aDaemonSet('agent').build(), at(1));
  return versionOf(store);
}

export function describeSteps(makeStore: MakeStore): void {
  it("sets the node path's pending marker with its step, or writes the step only while the marker is unchanged", async () => {
    const store = await makeStore(options);
    const version = await withDaemonSet(store);
    const names = async () => (await store.listPods(KEY)).map((pod) => pod.name);

    await store.applyStep(
      KEY,
      aStep({ actions: [createPod('agent-a', 'node-a')], pendingMark: { set: NOW } }),
      version,
    );
    const marked = await store.loadNodeSnapshot(KEY, 'node-a');
    const moved = aStep({ actions: [createPod('agent-b', 'node-b')], pendingMark: { expect: NOW - 1 } });
    const refused = await store.applyStep(KEY, moved, version + 1).catch((error: unknown) => error);
    const afterRefusal = await names();
    await store.applyStep(
      KEY,
      aStep({ actions: [createPod('agent-b', 'node-b')], pendingMark: { expect: NOW } }),
      version + 1,
    );

    expect(marked?.pendingSince).toBe(NOW);
    expect(refused).toBeInstanceOf(VersionConflictError);
    expect(afterRefusal).toEqual(['agent-a']);
    expect(await names()).toEqual(['agent-a', 'agent-b']);
    expect((await store.loadNodeSnapshot(KEY, 'node-b'))?.pendingSince).toBe(NOW);
    // The marker set with the step coalesces an ingest's marking, as one the ingest set would.
    expect(await store.markReconcilePending(KEY, NOW, 60)).toBe('coalesced');
  });

  it('writes revisions, pods, status, memory and events under the next version', async () => {
    const store = await makeStore(options);
    await store.putNode(aNode('node-a').build(), at(1));
    const version = await withDaemonSet(store);
    const memory = { failedPodBackoff: {}, lastCompleteRevisionHash: 'hash-1' };

    await store.applyStep(
      KEY,
      aStep({
        revisions: [{ kind: 'createRevision', revision: aRevision('hash-1', 1, template) }],
        actions: [createPod('agent-a', 'node-a')],
        status: aStatus({ desiredNumberScheduled: 1 }),
        memory,
        events: [event('SuccessfulCreate', 10), event('Progressing', 11)],
      }),
      version,
    );

    const snapshot = await store.loadSnapshot(KEY);
    expect(snapshot?.version).toBe(version + 1);
    expect(snapshot?.revisions).toEqual([aRevision('hash-1', 1, template)]);
    expect(snapshot?.nodes).toEqual([aNode('node-a').build()]);
    expect(snapshot?.pods).toEqual([
      {
        name: 'agent-a',
        namespace: 'default',
        nodeName: 'node-a',
        revisionHash: 'hash-1',
        labels: { app: 'agent', 'controller-revision-hash': 'hash-1' },
        creationTimestamp: new Date(NOW).toISOString(),
        scheduled: false,
        phase: 'Pending',
        ready: false,
      },
    ]);
    expect(snapshot?.status).toEqual(aStatus({ desiredNumberScheduled: 1 }));
    expect(snapshot?.memory).toEqual(memory);
    expect(await store.listEvents(KEY)).toEqual([event('SuccessfulCreate', 10), event('Progressing', 11)]);
  });

  it('refuses a step decided at another version and writes none of it', async () => {
    const store = await makeStore(options);
    const version = await withDaemonSet(store);

    const applying = store.applyStep(KEY, aStep({ actions: [createPod('agent-a', 'node-a')] }), version - 1);

    await expect(applying).rejects.toBeInstanceOf(VersionConflictError);
    expect(await store.listPods(KEY)).toEqual([]);
    expect(await versionOf(store)).toBe(version);
  });

  it('refuses a step for a DaemonSet that is not stored', async () => {
    const store = await makeStore(options);

    const applying = store.applyStep(KEY, aStep(), 1);

    await expect(applying).rejects.toBeInstanceOf(VersionConflictError);
  });

  it('writes nothing for a step that changes nothing', async () => {
    const store = await makeStore(options);
    const version = await withDaemonSet(store);
    await store.applyStep(KEY, aStep({ status: aStatus({ numberReady: 2 }) }), version);

    await store.applyStep(KEY, aStep({ status: aStatus({ numberReady: 2 }) }), version + 1);

    expect(await versionOf(store)).toBe(version + 1);
  });

  it('fails the whole step when one pod condition fails', async () => {
    const store = await makeStore(options);
    const version = await withDaemonSet(store);
    await store.applyStep(KEY, aStep({ actions: [createPod('agent-a', 'node-a')] }), version);

    const applying = store.applyStep(
      KEY,
      aStep({ actions: [createPod('agent-b', 'node-b'), createPod('agent-a', 'node-a')] }),
      version + 1,
    );

    await expect(applying).rejects.toBeInstanceOf(VersionConflictError);
    expect((await store.listPods(KEY)).map((pod) => pod.name)).toEqual(['agent-a']);
  });

  it('writes a step too big for one transaction in chunks', async () => {
    const store = await makeStore(options);
    const version = await withDaemonSet(store);
    const creates = Array.from({ length: 250 }, (_, index) => createPod(`agent-${index}`, `node-${index}`));

    await store.applyStep(KEY, aStep({ actions: creates, status: aStatus({ desiredNumberScheduled: 250 }) }), version);

    const snapshot = await store.loadSnapshot(KEY);
    expect(snapshot?.pods).toHaveLength(250);
    expect(snapshot?.status?.desiredNumberScheduled).toBe(250);
    expect(snapshot?.version).toBeGreaterThan(version);
  });

  it('stops between chunks when a competing reconciler writes after our claim', async () => {
    const creates = Array.from({ length: 250 }, (_, index) => createPod(`agent-${index}`, `node-${index}`));
    const store: ClusterStore = await makeStore({
      ...options,
      ...CHUNKED,
      hooks: {
        afterChunk: async (key, chunkIndex) => {
          if (chunkIndex !== 0) return;
          const seen = await store.loadSnapshot(key);
          if (seen === undefined) throw new Error('the daemon set vanished');
          await store.applyStep(key, aStep({ status: aStatus({ numberMisscheduled: 7 }) }), seen.version);
        },
      },
    });
    const version = await withDaemonSet(store);

    const applying = store.applyStep(KEY, aStep({ actions: creates }), version);

    await expect(applying).rejects.toBeInstanceOf(VersionConflictError);
    const snapshot = await store.loadSnapshot(KEY);
    expect(snapshot?.pods.length).toBeGreaterThan(0);
    expect(snapshot?.pods.length).toBeLessThan(250);
    expect(snapshot?.status).toEqual(aStatus({ numberMisscheduled: 7 }));
  });

  it('claims the DaemonSet with its first chunk, so a reconciler that read before cannot interleave', async () => {
    const creates = Array.from({ length: 150 }, (_, index) => createPod(`agent-${index}`, `node-${index}`));
    const competing: Promise<void>[] = [];
    const store: ClusterStore = await makeStore({
      ...options,
      ...CHUNKED,
      hooks: {
        afterChunk: (key) => {
          competing.push(store.applyStep(key, aStep({ status: aStatus({ numberMisscheduled: 7 }) }), version));
          return competing[0]?.catch(() => undefined);
        },
      },
    });
    const version = await withDaemonSet(store);

    await store.applyStep(KEY, aStep({ actions: creates }), version);

    await expect(competing[0]).rejects.toBeInstanceOf(VersionConflictError);
    const snapshot = await store.loadSnapshot(KEY);
    expect(snapshot?.pods).toHaveLength(150);
    expect(snapshot?.status).toEqual(aStatus());
  });

  it('refuses a step decided from a half-applied step once a later chunk has landed', async () => {
    const creates = Array.from({ length: 250 }, (_, index) => createPod(`agent-${index}`, `node-${index}`));
    let halfWay: ClusterSnapshot | undefined;
    let late: Promise<void> | undefined;
    const store: ClusterStore = await makeStore({
      ...options,
      ...CHUNKED,
      hooks: {
        afterChunk: async (key, chunkIndex) => {
          if (chunkIndex === 0) halfWay = await store.loadSnapshot(key);
          // The second chunk created node-150's pod, which the half-way reader did not see.
          if (chunkIndex === 1) {
            late = store.applyStep(key, aStep({ actions: [createPod('late', 'node-150')] }), halfWay?.version ?? -1);
            await late.catch(() => undefined);
          }
        },
      },
    });
    const version = await withDaemonSet(store);

    await store.applyStep(KEY, aStep({ actions: creates }), version);

    expect(halfWay?.pods).toHaveLength(98);
    await expect(late).rejects.toBeInstanceOf(VersionConflictError);
    const snapshot = await store.loadSnapshot(KEY);
    expect(snapshot?.pods).toHaveLength(250);
    expect(snapshot?.pods.filter((pod) => pod.nodeName === 'node-150')).toHaveLength(1);
  });

  it('keeps revisions in order and renumbers and deletes them', async () => {
    const store = await makeStore(options);
    const version = await withDaemonSet(store);
    const first = aRevision('hash-1', 1, template);
    const second = aRevision('hash-2', 2, aDaemonSet('agent').withImage('agent:2').build().template);
    await store.applyStep(
      KEY,
      aStep({
        revisions: [
          { kind: 'createRevision', revision: second },
          { kind: 'createRevision', revision: first },
        ],
      }),
      version,
    );

    await store.applyStep(
      KEY,
      aStep({
        revisions: [
          { kind: 'renumberRevision', name: first.name, revision: 3 },
          { kind: 'deleteRevision', name: second.name },
        ],
      }),
      version + 1,
    );

    expect(await store.listRevisions(KEY)).toEqual([{ ...first, revision: 3 }]);
  });

  it('writes a reverted template as a spec change', async () => {
    const store = await makeStore(options);
    const version = await withDaemonSet(store);
    const previous = aDaemonSet('agent').withImage('agent:0').withNodeSelector({ disk: 'ssd' }).build();

    await store.applyStep(KEY, aStep({ revertTemplate: { template: previous.template, toRevision: 1 } }), version);

    const stored = await store.getDaemonSet(KEY);
    expect(stored?.daemonSet.template).toEqual(previous.template);
    expect(stored?.daemonSet.placement).toEqual(previous.placement);
    expect(stored?.daemonSet.generation).toBe(2);
    expect(stored?.version).toBe(version + 1);
  });
}
