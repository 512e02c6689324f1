import { describe, expect, it } from 'vitest';
import { InMemoryClusterStore } from '../../../lib/store/memory/in-memory-cluster-store.js';
import { observeStoreChanges, type StoreChange } from '../../../lib/store/observe-store-changes.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { aStep, createPod } from '../../integration/store-contract-fixtures.js';

const T1 = '2026-01-01T00:00:01.000Z';
const T0 = '2026-01-01T00:00:00.000Z';
const T2 = '2026-01-01T00:00:02.000Z';

describe('observeStoreChanges', () => {
  it('tells what each write changed, and nothing for a write that changed nothing', async () => {
    const told: StoreChange[] = [];
    const store = observeStoreChanges(new InMemoryClusterStore(), (changes) => {
      told.push(...changes);
    });

    await store.putNode(aNode('worker-1').build(), T1);
    await store.putNode(aNode('worker-1').labelled({ old: 'fact' }).build(), T0);
    await store.applyDaemonSet(aDaemonSet('agent').build(), T1);
    await store.setRolloutSwitch('default/agent', 'paused', true, T2);
    await store.setRolloutSwitch('default/agent', 'paused', true, T2);
    await store.removeNode('worker-1', T2);

    expect(told).toEqual([
      { nodeName: 'worker-1' },
      { daemonSet: 'default/agent' },
      { daemonSet: 'default/agent' },
      { nodeName: 'worker-1' },
    ]);
  });

  it("tells a user's pod deletion as a change to that pod's node, and nothing for one naming no pod", async () => {
    const told: StoreChange[] = [];
    const inner = new InMemoryClusterStore();
    const store = observeStoreChanges(inner, (changes) => {
      told.push(...changes);
    });
    await store.applyDaemonSet(aDaemonSet('agent').build(), T1);
    const snapshot = await inner.loadSnapshot('default/agent');
    await inner.applyStep(
      'default/agent',
      aStep({ actions: [createPod('agent-1', 'worker-1')] }),
      snapshot?.version ?? 0,
    );
    const [pod] = await inner.listPods('default/agent');
    told.length = 0;

    await store.deletePod('default/agent', { name: 'agent-missing', nodeName: 'worker-1', creationTimestamp: T0 }, T2);
    await store.deletePod(
      'default/agent',
      { name: pod?.name ?? '', nodeName: 'worker-1', creationTimestamp: pod?.creationTimestamp ?? '' },
      T2,
    );

    expect(told).toEqual([{ daemonSet: 'default/agent', nodeName: 'worker-1', pods: true }]);
  });

  it('passes reads through and tells nothing of a failed write', async () => {
    const told: StoreChange[] = [];
    const store = observeStoreChanges(new InMemoryClusterStore(), (changes) => {
      told.push(...changes);
    });
    await store.applyDaemonSet(aDaemonSet('agent').build(), T1);
    told.length = 0;

    await expect(store.setRolloutSwitch('default/missing', 'paused', true, T1)).rejects.toThrow();

    expect((await store.listDaemonSets()).map((each) => each.daemonSet.name)).toEqual(['agent']);
    expect(told).toEqual([]);
  });

  it("tells a step's actions as pod changes on their nodes, and the write waits for what onChange returns", async () => {
    const told: StoreChange[] = [];
    let release = () => {};
    const published = new Promise<void>((resolve) => {
      release = resolve;
    });
    const inner = new InMemoryClusterStore();
    const store = observeStoreChanges(inner, async (changes) => {
      await published;
      told.push(...changes);
    });
    await inner.applyDaemonSet(aDaemonSet('agent').build(), T1);
    const snapshot = await inner.loadSnapshot('default/agent');

    let done = false;
    const written = store
      .applyStep('default/agent', aStep({ actions: [createPod('agent-1', 'worker-1')] }), snapshot?.version ?? 0)
      .then(() => {
        done = true;
      });
    await new Promise(setImmediate);
    const before = done;
    release();
    await written;

    expect(before).toBe(false);
    expect(told).toEqual([
      { daemonSet: 'default/agent' },
      { daemonSet: 'default/agent', nodeName: 'worker-1', pods: true },
    ]);
  });
});
