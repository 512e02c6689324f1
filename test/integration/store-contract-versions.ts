import { expect, it } from 'vitest';
import type { ClusterStore } from '../../lib/ports/cluster-store.js';
import { VersionConflictError } from '../../lib/ports/errors.js';
import { aDaemonSet } from '../fixtures/builders/a-daemon-set.js';
import { aStatus, aStep, at, createPod, KEY, type MakeStore, NOW, versionOf } from './store-contract-fixtures.js';

const options = { now: () => NOW };
const event = (index: number) =>
  ({ type: 'Normal', reason: 'SuccessfulCreate', message: `Created pod: agent-${index}`, time: at(10) }) as const;

async function withDaemonSet(store: ClusterStore): Promise<number> {
  await store.applyDaemonSet(aDaemonSet('agent').build(), at(1));
  return versionOf(store);
}

/** How spec writes, reconcile steps and listings share the DaemonSet's version. */
export function describeVersions(makeStore: MakeStore): void {
  it('refuses a step decided before a spec change, keeping status and memory across the change', async () => {
    const store = await makeStore(options);
    const version = await withDaemonSet(store);
    await store.applyStep(KEY, aStep({ status: aStatus({ numberReady: 1 }) }), version);

    await store.applyDaemonSet(aDaemonSet('agent').withImage('agent:2').build(), at(2));
    const applying = store.applyStep(KEY, aStep({ actions: [createPod('agent-a', 'node-a')] }), version + 1);

    await expect(applying).rejects.toBeInstanceOf(VersionConflictError);
    const stored = await store.getDaemonSet(KEY);
    expect(stored?.version).toBe(version + 2);
    expect(stored?.status).toEqual(aStatus({ numberReady: 1 }));
    expect(await store.listPods(KEY)).toEqual([]);
  });

  it('lets a step decided before a duplicate apply through, as the apply changed nothing visible', async () => {
    const store = await makeStore(options);
    const version = await withDaemonSet(store);

    await store.applyDaemonSet(aDaemonSet('agent').build(), at(2));
    await store.applyStep(KEY, aStep({ actions: [createPod('agent-a', 'node-a')] }), version);

    expect(await versionOf(store)).toBe(version + 1);
    expect((await store.listPods(KEY)).map((pod) => pod.name)).toEqual(['agent-a']);
    expect((await store.applyDaemonSet(aDaemonSet('agent').build(), at(1))).outcome).toBe('stale');
  });

  it('lists DaemonSets with the version, status and memory of their last step, and their keys alone', async () => {
    const store = await makeStore(options);
    const version = await withDaemonSet(store);
    await store.applyDaemonSet(aDaemonSet('beta').build(), at(1));
    await store.applyStep(KEY, aStep({ status: aStatus({ numberReady: 3 }) }), version);

    const listed = await store.listDaemonSets();
    const keys = await store.listDaemonSetKeys();

    expect(listed).toEqual([await store.getDaemonSet(KEY), await store.getDaemonSet('default/beta')]);
    expect(listed[0]?.status).toEqual(aStatus({ numberReady: 3 }));
    expect(keys).toEqual([KEY, 'default/beta']);
  });

  it('keeps the newest events across steps, in the order the steps listed them', async () => {
    const store = await makeStore(options);
    const version = await withDaemonSet(store);
    const events = Array.from({ length: 180 }, (_, index) => event(index));

    await store.applyStep(KEY, aStep({ events: events.slice(0, 60) }), version);
    await store.applyStep(KEY, aStep({ events: events.slice(60, 120) }), version + 1);
    await store.applyStep(KEY, aStep({ events: events.slice(120) }), version + 2);

    expect(await store.listEvents(KEY)).toEqual(events.slice(80));
  });
}
