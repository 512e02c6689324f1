import { expect, it } from 'vitest';
import { aNode } from '../fixtures/builders/a-node.js';
import { at, type MakeStore, NOW } from './store-contract-fixtures.js';

const options = { now: () => NOW };

/** `getNodeFact` and `replaceNode`: the conditional node write the startup gate and lifecycle completions use. */
export function describeNodeLifecycleWrites(makeStore: MakeStore): void {
  it('reads a node with the time of the fact that wrote it, and nothing for a removed node', async () => {
    const store = await makeStore(options);
    const node = aNode('node-a').tainted('everynode.io/startup', 'NoSchedule').build();
    await store.putNode(node, at(1));
    await store.putNode(aNode('node-b').build(), at(1));
    await store.removeNode('node-b', at(2));

    expect(await store.getNodeFact('node-a')).toEqual({ node, observedAt: at(1) });
    expect(await store.getNodeFact('node-b')).toBeUndefined();
    expect(await store.getNodeFact('node-c')).toBeUndefined();
  });

  it('replaces a node only over the fact it read, and keeps the lifecycle action it carries', async () => {
    const store = await makeStore(options);
    await store.putNode(aNode('node-a').tainted('everynode.io/startup', 'NoSchedule').build(), at(1));
    const opened = {
      ...aNode('node-a')
        .withCondition('everynode.io/StartupComplete', 'True', { reason: 'CriticalPodsAvailable' })
        .build(),
      lifecycleAction: {
        transition: 'launch' as const,
        autoScalingGroupName: 'workers',
        lifecycleHookName: 'everynode-launch',
        lifecycleActionToken: 'token-1',
        receivedAt: at(0),
        result: 'CONTINUE' as const,
        decidedAt: at(2),
      },
    };

    const written = await store.replaceNode(opened, at(2), at(1));
    const again = await store.replaceNode(opened, at(3), at(1));

    expect([written, again]).toEqual(['stored', 'stale']);
    expect(await store.getNodeFact('node-a')).toEqual({ node: opened, observedAt: at(2) });
  });

  it('refuses to replace a node when another fact landed in between, or when its time is not newer', async () => {
    const store = await makeStore(options);
    await store.putNode(aNode('node-a').build(), at(1));
    await store.putNode(aNode('node-a').labelled({ zone: 'a' }).build(), at(2));

    const overStale = await store.replaceNode(aNode('node-a').build(), at(3), at(1));
    const notNewer = await store.replaceNode(aNode('node-a').build(), at(2), at(2));

    expect([overStale, notNewer]).toEqual(['stale', 'stale']);
    expect((await store.getNode('node-a'))?.labels).toEqual({ zone: 'a' });
  });

  it('never brings back a removed node', async () => {
    const store = await makeStore(options);
    await store.putNode(aNode('node-a').build(), at(1));
    await store.removeNode('node-a', at(2));

    const outcome = await store.replaceNode(aNode('node-a').build(), at(3), at(2));

    expect(outcome).toBe('stale');
    expect(await store.getNode('node-a')).toBeUndefined();
  });

  it('orders a replaced node against later facts like any fact', async () => {
    const store = await makeStore(options);
    await store.putNode(aNode('node-a').tainted('everynode.io/startup', 'NoSchedule').build(), at(1));
    await store.replaceNode(aNode('node-a').build(), at(5), at(1));

    const olderJoin = await store.putNode(aNode('node-a').tainted('everynode.io/startup', 'NoSchedule').build(), at(4));

    expect(olderJoin).toBe('stale');
    expect((await store.getNode('node-a'))?.taints).toEqual([]);
  });

  it('records an event about a node once per node, time and reason, and lists one node or every node', async () => {
    const store = await makeStore(options);
    const timeout = {
      node: 'node-a',
      type: 'Warning' as const,
      reason: 'StartupGateTimeout',
      message: 'the startup gate passed its 30 s deadline; waiting for kube-system/cni (no pod yet)',
      time: at(30),
    };
    const opened = { ...timeout, type: 'Normal' as const, reason: 'StartupGateOpened', message: 'open', time: at(40) };
    const other = { ...opened, node: 'node-b', time: at(5) };

    await store.recordNodeEvent(opened);
    await store.recordNodeEvent(timeout);
    await store.recordNodeEvent(timeout);
    await store.recordNodeEvent({ ...timeout, message: 'a redelivery with other words' });
    await store.recordNodeEvent(other);

    expect(await store.listNodeEvents('node-a')).toEqual([timeout, opened]);
    expect(await store.listNodeEvents('node-b')).toEqual([other]);
    expect(await store.listNodeEvents('node-c')).toEqual([]);
    // A node whose name starts like another's lists only its own.
    expect(await store.listNodeEvents('node-')).toEqual([]);
    expect(await store.listNodeEvents()).toEqual([other, timeout, opened]);
  });
}
