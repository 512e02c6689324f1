import { describe, expect, it } from 'vitest';
import { VersionConflictError } from '../../../lib/ports/errors.js';
import { reconcile } from '../../../lib/reconcile/reconcile-pass.js';
import { InMemoryClusterStore } from '../../../lib/store/memory/in-memory-cluster-store.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { withFailures } from '../../fixtures/events/failing-store.js';

const NOW = Date.UTC(2026, 0, 1);
const AT = new Date(NOW).toISOString();

async function aCluster(): Promise<InMemoryClusterStore> {
  const store = new InMemoryClusterStore({ now: () => NOW });
  await store.applyDaemonSet(aDaemonSet('logs').build(), AT);
  await store.putNode(aNode('node-a').build(), AT);
  return store;
}

function conflictingTimes(times: number) {
  let left = times;
  return () => {
    left -= 1;
    return left >= 0 ? new VersionConflictError('default/logs') : undefined;
  };
}

describe('reconcile', () => {
  it('plans against fresh state after a lost race', async () => {
    const store = await aCluster();

    const outcome = await reconcile('default/logs', {
      store: withFailures(store, { applyStep: conflictingTimes(2) }),
      now: () => NOW,
    });

    expect(outcome).toEqual({ status: 'progressing', recheckAfterSeconds: 0 });
    expect(await store.listPods('default/logs')).toHaveLength(1);
  });

  it('rethrows the conflict once the attempts are used up', async () => {
    const store = await aCluster();
    const deps = { store: withFailures(store, { applyStep: conflictingTimes(3) }), now: () => NOW, maxAttempts: 3 };

    const run = reconcile('default/logs', deps);

    await expect(run).rejects.toBeInstanceOf(VersionConflictError);
    expect(await store.listPods('default/logs')).toEqual([]);
  });

  describe('after a lost race, with another pass pending (the reconcile handler cleared the marker first)', () => {
    const TIMEOUT = 60;

    it('hands the DaemonSet over to the pending pass instead of planning again', async () => {
      const store = await aCluster();
      // The winner's pass marked the DaemonSet after its write: its re-check is on the queue.
      await store.markReconcilePending('default/logs', NOW - 5_000, TIMEOUT);
      let loads = 0;
      const counted = withFailures(store, {
        applyStep: conflictingTimes(1),
        loadSnapshot: () => {
          loads += 1;
          return undefined;
        },
      });

      const outcome = await reconcile('default/logs', {
        store: counted,
        now: () => NOW,
        handOverToPendingWithinSeconds: TIMEOUT,
      });

      expect(outcome).toEqual({ status: 'handedOver' });
      expect(loads).toBe(1);
      expect(await store.listPods('default/logs')).toEqual([]);
    });

    it.each([
      {
        case: 'the marker has timed out (its message is presumed lost)',
        markedAgo: (TIMEOUT + 1) * 1000,
        clears: true,
      },
      { case: 'no pass is pending', markedAgo: undefined, clears: true },
      { case: 'the caller did not clear the marker (only the handler hands over)', markedAgo: 5_000, clears: false },
    ])('plans again itself when $case', async ({ markedAgo, clears }) => {
      const store = await aCluster();
      if (markedAgo !== undefined) await store.markReconcilePending('default/logs', NOW - markedAgo, TIMEOUT);

      const outcome = await reconcile('default/logs', {
        store: withFailures(store, { applyStep: conflictingTimes(1) }),
        now: () => NOW,
        ...(clears ? { handOverToPendingWithinSeconds: TIMEOUT } : {}),
      });

      expect(outcome).toEqual({ status: 'progressing', recheckAfterSeconds: 0 });
      expect(await store.listPods('default/logs')).toHaveLength(1);
    });
  });

  it('converges when a pass has nothing left to do', async () => {
    const store = await aCluster();
    await reconcile('default/logs', { store, now: () => NOW });

    const outcome = await reconcile('default/logs', { store, now: () => NOW });

    expect(outcome).toEqual({ status: 'converged' });
  });

  it('waits out minReadySeconds before looking again, within the SQS delay limit', async () => {
    const store = new InMemoryClusterStore({ now: () => NOW });
    await store.applyDaemonSet(aDaemonSet('logs').withMinReadySeconds(3600).build(), AT);
    await store.putNode(aNode('node-a').build(), AT);
    await reconcile('default/logs', { store, now: () => NOW });
    const [pod] = await store.listPods('default/logs');
    await store.putPodStatus({
      namespace: 'default',
      daemonSet: 'logs',
      podName: pod?.name ?? '',
      nodeName: 'node-a',
      revisionHash: pod?.revisionHash ?? '',
      phase: 'Running',
      ready: true,
      readySince: AT,
      observedAt: AT,
    });

    const outcome = await reconcile('default/logs', { store, now: () => NOW });

    expect(outcome).toEqual({ status: 'progressing', recheckAfterSeconds: 900 });
  });

  it('treats a missing daemon set as converged', async () => {
    const outcome = await reconcile('default/ghost', { store: new InMemoryClusterStore(), now: () => NOW });

    expect(outcome).toEqual({ status: 'converged' });
  });
});
