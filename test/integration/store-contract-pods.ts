import { expect, it } from 'vitest';
import type { ClusterStore } from '../../lib/ports/cluster-store.js';
import { TerminalError } from '../../lib/ports/errors.js';
import { aDaemonSet } from '../fixtures/builders/a-daemon-set.js';
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

const options = { now: () => NOW };

/** Stores the DaemonSet with one revision and the given pods, returning the version after. */
async function withPods(store: ClusterStore, ...pods: readonly [podName: string, nodeName: string][]): Promise<number> {
  await store.applyDaemonSet(aDaemonSet('agent').build(), at(1));
  const version = await versionOf(store);
  const revision = aRevision('hash-1', 1, aDaemonSet('agent').build().template);
  await store.applyStep(
    KEY,
    aStep({
      revisions: [{ kind: 'createRevision', revision }],
      actions: pods.map(([podName, nodeName]) => createPod(podName, nodeName)),
    }),
    version,
  );
  return version + 1;
}

export function describePods(makeStore: MakeStore): void {
  it('keeps the restarts, reason and message its agent reports, as the latest report says them', async () => {
    const store = await makeStore(options);
    await withPods(store, ['agent-a', 'node-a']);
    const crashing = {
      phase: 'Running',
      ready: false,
      restartCount: 4,
      reason: 'CrashLoopBackOff',
      message: 'back-off 2m40s',
    } as const;

    expect(await store.putPodStatus(aReport('agent-a', 'node-a', at(3620), crashing))).toBe('stored');
    expect(await store.putPodStatus(aReport('agent-a', 'node-a', at(3620), crashing))).toBe('unchanged');
    expect(await store.listPods(KEY)).toMatchObject([{ name: 'agent-a', ...crashing }]);

    // Recovered: a newer report without a reason clears it; the restart count stays as reported.
    await store.putPodStatus(
      aReport('agent-a', 'node-a', at(3630), { phase: 'Running', ready: true, restartCount: 4 }),
    );
    const [pod] = await store.listPods(KEY);
    expect(pod).toMatchObject({ ready: true, restartCount: 4 });
    expect(pod?.reason).toBeUndefined();
    expect(pod?.message).toBeUndefined();
  });

  it('merges the latest status the agent reported into the pod', async () => {
    const store = await makeStore(options);
    await withPods(store, ['agent-a', 'node-a']);

    // The pod is created at NOW (an hour in); its reports come after.
    const stored = await store.putPodStatus(aReport('agent-a', 'node-a', at(3620)));
    const older = await store.putPodStatus(aReport('agent-a', 'node-a', at(3610), { phase: 'Pending', ready: false }));
    const duplicate = await store.putPodStatus(aReport('agent-a', 'node-a', at(3620)));

    expect([stored, older, duplicate]).toEqual(['stored', 'stale', 'unchanged']);
    expect(await store.listPods(KEY)).toMatchObject([
      { name: 'agent-a', scheduled: true, phase: 'Running', ready: true, readySince: at(3620) },
    ]);
  });

  it('refuses a report naming another revision than the pod runs, and lets none make the pod ready', async () => {
    const store = await makeStore(options);
    await withPods(store, ['agent-a', 'node-a']);

    const bogusRevision = await store
      .putPodStatus(aReport('agent-a', 'node-a', at(20), { revisionHash: 'bogus' }))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    await store.putPodStatus(aReport('agent-a', 'node-b', at(20), { revisionHash: 'bogus' })).catch(() => undefined);
    await store.putPodStatus(aReport('agent-a', 'node-b', at(21))).catch(() => undefined);

    expect(bogusRevision).toBeInstanceOf(TerminalError);
    expect((bogusRevision as Error).message).toMatch(/does not match the pod/);
    expect(await store.listPods(KEY)).toMatchObject([{ name: 'agent-a', nodeName: 'node-a', ready: false }]);
  });

  it('never lets a report for another node hide the pod’s own status', async () => {
    const store = await makeStore(options);
    await withPods(store, ['agent-a', 'node-a']);
    await store.putPodStatus(aReport('agent-a', 'node-a', at(20)));

    await store.putPodStatus(aReport('agent-a', 'node-b', at(30), { ready: false })).catch(() => undefined);

    expect(await store.listPods(KEY)).toMatchObject([{ name: 'agent-a', nodeName: 'node-a', ready: true }]);
  });

  it('takes a pod to have been ready no earlier than it was created', async () => {
    const store = await makeStore(options);
    await withPods(store, ['agent-a', 'node-a']);

    await store.putPodStatus(aReport('agent-a', 'node-a', at(20), { readySince: '2000-01-01T00:00:00.000Z' }));

    expect(await store.listPods(KEY)).toMatchObject([
      { name: 'agent-a', ready: true, readySince: new Date(NOW).toISOString() },
    ]);
  });

  it('keeps desired state when a status arrives, and status when the step marks the pod deleted', async () => {
    const store = await makeStore(options);
    const version = await withPods(store, ['agent-a', 'node-a']);
    await store.putPodStatus(aReport('agent-a', 'node-a', at(20)));

    await store.applyStep(KEY, aStep({ actions: [deletePod('agent-a', 'node-a')] }), version);

    expect(await store.listPods(KEY)).toMatchObject([
      { name: 'agent-a', revisionHash: 'hash-1', deletionTimestamp: new Date(NOW).toISOString(), phase: 'Running' },
    ]);
  });

  it('keeps a terminating pod until its agent reports it gone, and a late report does not revive it', async () => {
    const store = await makeStore(options);
    const version = await withPods(store, ['agent-a', 'node-a']);
    await store.applyStep(KEY, aStep({ actions: [deletePod('agent-a', 'node-a')] }), version);
    const terminating = await store.listPods(KEY);

    const gone = await store.putPodStatus(aReport('agent-a', 'node-a', at(30), { phase: 'Succeeded', gone: true }));
    const late = await store.putPodStatus(aReport('agent-a', 'node-a', at(25)));

    expect(terminating).toHaveLength(1);
    expect([gone, late]).toEqual(['stored', 'stale']);
    expect(await store.listPods(KEY)).toEqual([]);
    expect(await store.listPodsOnNode('node-a')).toEqual([]);
  });

  it('keeps a pod that is not terminating when its agent reports it gone', async () => {
    const store = await makeStore(options);
    await withPods(store, ['agent-a', 'node-a']);

    await store.putPodStatus(aReport('agent-a', 'node-a', at(30), { phase: 'Failed', gone: true }));

    expect(await store.listPods(KEY)).toMatchObject([{ name: 'agent-a', scheduled: false, phase: 'Pending' }]);
  });

  it('removes an orphaned pod and its status at once', async () => {
    const store = await makeStore(options);
    const version = await withPods(store, ['agent-a', 'node-a'], ['agent-b', 'node-b']);
    await store.putPodStatus(aReport('agent-a', 'node-a', at(20)));

    await store.applyStep(KEY, aStep({ actions: [deletePod('agent-a', 'node-a', 'orphaned')] }), version);

    expect((await store.listPods(KEY)).map((pod) => pod.name)).toEqual(['agent-b']);
    expect(await store.listPodsOnNode('node-a')).toEqual([]);
  });

  it('keeps a status that has no desired pod out of every pod list', async () => {
    const store = await makeStore(options);
    await withPods(store);

    const outcome = await store.putPodStatus(aReport('agent-x', 'node-a', at(20)));

    expect(outcome).toBe('stored');
    expect(await store.listPods(KEY)).toEqual([]);
    expect(await store.listPodsOnNode('node-a')).toEqual([]);
  });

  it('lists the pods desired on one node across DaemonSets, with their status', async () => {
    const store = await makeStore(options);
    await withPods(store, ['agent-a', 'node-a'], ['agent-b', 'node-b']);
    await store.applyDaemonSet(aDaemonSet('logs').build(), at(1));
    await store.applyStep('default/logs', aStep({ actions: [createPod('logs-a', 'node-a')] }), 1);
    await store.putPodStatus(aReport('agent-a', 'node-a', at(20)));

    const pods = await store.listPodsOnNode('node-a');

    expect(pods.map((pod) => [pod.daemonSet, pod.name, pod.phase])).toEqual([
      ['default/agent', 'agent-a', 'Running'],
      ['default/logs', 'logs-a', 'Pending'],
    ]);
    expect(pods.map((pod) => pod.labels)).toEqual([
      { app: 'agent', 'controller-revision-hash': 'hash-1' },
      { app: 'logs', 'controller-revision-hash': 'hash-1' },
    ]);
    expect((await store.listPods()).map((pod) => pod.name)).toEqual(['agent-a', 'agent-b', 'logs-a']);
  });

  it('removes a deleted DaemonSet once its pods are gone, leaving a tombstone', async () => {
    const store = await makeStore(options);
    const version = await withPods(store, ['agent-a', 'node-a']);
    await store.deleteDaemonSet(KEY, at(40));
    await store.applyStep(KEY, aStep({ actions: [deletePod('agent-a', 'node-a')] }), version + 1);
    await store.applyStep(KEY, aStep(), version + 2);
    const whilePodTerminates = await store.loadSnapshot(KEY);

    await store.putPodStatus(aReport('agent-a', 'node-a', at(50), { gone: true }));
    await store.applyStep(KEY, aStep(), version + 2);

    expect(whilePodTerminates?.pods).toHaveLength(1);
    expect(await store.loadSnapshot(KEY)).toBeUndefined();
    expect(await store.getDaemonSet(KEY)).toBeUndefined();
    expect(await store.listDaemonSets()).toEqual([]);
    expect(await store.listRevisions(KEY)).toEqual([]);
    expect((await store.applyDaemonSet(aDaemonSet('agent').build(), at(39))).outcome).toBe('stale');
    expect(await store.applyDaemonSet(aDaemonSet('agent').build(), at(41))).toEqual({
      outcome: 'stored',
      generation: 1,
    });
  });
}
