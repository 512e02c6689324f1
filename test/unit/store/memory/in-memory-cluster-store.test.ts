import { describe, expect, it } from 'vitest';
import { InMemoryClusterStore } from '../../../../lib/store/memory/in-memory-cluster-store.js';
import { aDaemonSet } from '../../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../../fixtures/builders/a-node.js';
import { aStep } from '../store-fixtures.js';

const T1 = '2026-01-01T00:00:01.000Z';
const pod = { kind: 'createPod', podName: 'agent-a', nodeName: 'node-a', revisionHash: 'hash-1' } as const;

async function aPopulatedStore(): Promise<InMemoryClusterStore> {
  const store = new InMemoryClusterStore({ now: () => Date.parse(T1) });
  await store.putNode(aNode('node-a').build(), T1);
  await store.applyDaemonSet(aDaemonSet('agent').build(), T1);
  await store.applyStep('default/agent', aStep({ actions: [pod] }), 1);
  return store;
}

describe('InMemoryClusterStore', () => {
  it('saves its state as JSON and picks it up again', async () => {
    const store = await aPopulatedStore();

    const saved = JSON.stringify(store.exportState());
    const restored = new InMemoryClusterStore({ state: JSON.parse(saved) });

    expect(await restored.loadSnapshot('default/agent')).toEqual(await store.loadSnapshot('default/agent'));
  });

  it('keeps the state it was given apart from the caller', async () => {
    const state = (await aPopulatedStore()).exportState();
    const store = new InMemoryClusterStore({ state });

    await store.removeNode('node-a', '2026-01-01T00:00:02.000Z');

    expect(state.nodes['node-a']?.node).toEqual(aNode('node-a').build());
  });

  it('lets a test fail a write before it changes anything', async () => {
    const failure = new Error('injected');
    const store = new InMemoryClusterStore({
      hooks: {
        beforeWrite: (operation) => {
          if (operation === 'putNode') throw failure;
        },
      },
    });

    const putting = store.putNode(aNode('node-a').build(), T1);

    await expect(putting).rejects.toBe(failure);
    expect(await store.listNodes()).toEqual([]);
  });
});
