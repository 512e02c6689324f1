import { expect, it } from 'vitest';
import { aDaemonSet } from '../fixtures/builders/a-daemon-set.js';
import { aStatus, aStep, at, createPod, KEY, type MakeStore, NOW, versionOf } from './store-contract-fixtures.js';

const options = { now: () => NOW };
const TIMEOUT_SECONDS = 60;

/** The pending-reconcile marker that coalesces reconcile messages (docs/decisions/0004-coalesced-reconcile.md). */
export function describePendingReconciles(makeStore: MakeStore): void {
  it('marks a reconcile pending once, then reports it coalesced', async () => {
    const store = await makeStore(options);
    await store.applyDaemonSet(aDaemonSet('agent').build(), at(1));

    const first = await store.markReconcilePending(KEY, NOW, TIMEOUT_SECONDS);
    const second = await store.markReconcilePending(KEY, NOW + 1000, TIMEOUT_SECONDS);

    expect([first, second]).toEqual(['enqueue', 'coalesced']);
  });

  it('marks again after a clear', async () => {
    const store = await makeStore(options);
    await store.applyDaemonSet(aDaemonSet('agent').build(), at(1));
    await store.markReconcilePending(KEY, NOW, TIMEOUT_SECONDS);

    await store.clearReconcilePending(KEY);

    expect(await store.markReconcilePending(KEY, NOW, TIMEOUT_SECONDS)).toBe('enqueue');
    expect(await store.markReconcilePending(KEY, NOW, TIMEOUT_SECONDS)).toBe('coalesced');
  });

  it('marks again once the marker is older than the timeout', async () => {
    const store = await makeStore(options);
    await store.applyDaemonSet(aDaemonSet('agent').build(), at(1));
    await store.markReconcilePending(KEY, NOW, TIMEOUT_SECONDS);

    const atTimeout = await store.markReconcilePending(KEY, NOW + TIMEOUT_SECONDS * 1000, TIMEOUT_SECONDS);
    const past = await store.markReconcilePending(KEY, NOW + TIMEOUT_SECONDS * 1000 + 1, TIMEOUT_SECONDS);
    const renewed = await store.markReconcilePending(KEY, NOW + TIMEOUT_SECONDS * 1000 + 2, TIMEOUT_SECONDS);

    expect([atTimeout, past, renewed]).toEqual(['coalesced', 'enqueue', 'coalesced']);
  });

  it('reads the marker as it stands: set, renewed, cleared', async () => {
    const store = await makeStore(options);
    await store.applyDaemonSet(aDaemonSet('agent').build(), at(1));
    const none = await store.readReconcilePending(KEY);
    await store.markReconcilePending(KEY, NOW, TIMEOUT_SECONDS);
    const set = await store.readReconcilePending(KEY);
    await store.markReconcilePending(KEY, NOW + TIMEOUT_SECONDS * 1000 + 1, TIMEOUT_SECONDS);
    const renewed = await store.readReconcilePending(KEY);
    await store.clearReconcilePending(KEY);

    expect([none, set, renewed, await store.readReconcilePending(KEY)]).toEqual([
      undefined,
      NOW,
      NOW + TIMEOUT_SECONDS * 1000 + 1,
      undefined,
    ]);
    expect(await store.readReconcilePending('default/ghost')).toBeUndefined();
  });

  it('asks to enqueue for a daemon set without state, and stores nothing for it', async () => {
    const store = await makeStore(options);
    await store.deleteDaemonSet('default/gone', at(1));

    const marks = [
      await store.markReconcilePending('default/ghost', NOW, TIMEOUT_SECONDS),
      await store.markReconcilePending('default/ghost', NOW, TIMEOUT_SECONDS),
      await store.markReconcilePending('default/gone', NOW, TIMEOUT_SECONDS),
    ];
    await store.clearReconcilePending('default/ghost');
    await store.clearReconcilePending('default/gone');

    expect(marks).toEqual(['enqueue', 'enqueue', 'enqueue']);
    expect(await store.getDaemonSet('default/ghost')).toBeUndefined();
    expect(await store.getDaemonSet('default/gone')).toBeUndefined();
    expect(await store.listDaemonSetKeys()).toEqual([]);
  });

  it('leaves the version, status and steps alone, and keeps the marker across steps and spec changes', async () => {
    const store = await makeStore(options);
    await store.applyDaemonSet(aDaemonSet('agent').build(), at(1));
    const before = await store.getDaemonSet(KEY);
    const version = await versionOf(store);

    await store.markReconcilePending(KEY, NOW, TIMEOUT_SECONDS);
    const marked = await store.getDaemonSet(KEY);
    const snapshot = await store.loadSnapshot(KEY);
    await store.applyStep(KEY, aStep({ actions: [createPod('agent-a', 'node-a')], status: aStatus() }), version);
    await store.applyDaemonSet(aDaemonSet('agent').withImage('agent:2').build(), at(2));

    expect(marked).toEqual(before);
    expect(snapshot?.version).toBe(version);
    expect(await versionOf(store)).toBe(version + 2);
    expect(await store.markReconcilePending(KEY, NOW, TIMEOUT_SECONDS)).toBe('coalesced');
  });

  it('clears a daemon set without a marker without changing it', async () => {
    const store = await makeStore(options);
    await store.applyDaemonSet(aDaemonSet('agent').build(), at(1));
    const before = await store.getDaemonSet(KEY);

    await store.clearReconcilePending(KEY);
    await store.clearReconcilePending(KEY);

    expect(await store.getDaemonSet(KEY)).toEqual(before);
    expect(await store.markReconcilePending(KEY, NOW, TIMEOUT_SECONDS)).toBe('enqueue');
  });
}
