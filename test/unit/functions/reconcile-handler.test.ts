import { describe, expect, it, vi } from 'vitest';
import { makeReconcileHandler } from '../../../functions/reconcile-handler.js';
import type { ClusterStore } from '../../../lib/ports/cluster-store.js';
import { VersionConflictError } from '../../../lib/ports/errors.js';
import { planReconcile } from '../../../lib/reconcile/plan-reconcile.js';
import { InMemoryClusterStore } from '../../../lib/store/memory/in-memory-cluster-store.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { aThrottlingError, withFailures } from '../../fixtures/events/failing-store.js';
import { aRecordingObservability } from '../../fixtures/events/recording-observability.js';
import { RecordingWorkQueue } from '../../fixtures/events/recording-work-queue.js';
import { anSqsEvent, anSqsRecord, SENT_AT } from '../../fixtures/events/sqs-records.js';

const AT = new Date(SENT_AT).toISOString();

async function aClusterWithTwoNodes(): Promise<InMemoryClusterStore> {
  const store = new InMemoryClusterStore({ now: () => SENT_AT });
  await store.applyDaemonSet(aDaemonSet('logs').build(), AT);
  await store.putNode(aNode('node-a').build(), AT);
  await store.putNode(aNode('node-b').build(), AT);
  return store;
}

function setUp(store: ClusterStore) {
  const workQueue = new RecordingWorkQueue();
  const observability = aRecordingObservability();
  const handler = makeReconcileHandler({ store, workQueue, observability, now: () => SENT_AT });
  return { workQueue, observability, handler };
}

const reconcileRecord = (key: string) => anSqsRecord({ daemonSet: key });

describe('makeReconcileHandler', () => {
  it('creates the desired pods and looks again at once', async () => {
    const store = await aClusterWithTwoNodes();
    const { workQueue, handler } = setUp(store);

    const response = await handler(anSqsEvent([reconcileRecord('default/logs')]));

    expect(response.batchItemFailures).toEqual([]);
    expect((await store.listPods('default/logs')).map((pod) => pod.nodeName).sort()).toEqual(['node-a', 'node-b']);
    expect(workQueue.drain()).toEqual([{ key: 'default/logs', delaySeconds: 0 }]);
  });

  it('runs one pass for records of a batch that name the same daemon set', async () => {
    const store = await aClusterWithTwoNodes();
    const loadSnapshot = vi.spyOn(store, 'loadSnapshot');
    const { workQueue, handler } = setUp(store);

    const response = await handler(
      anSqsEvent([reconcileRecord('default/logs'), reconcileRecord('default/logs'), reconcileRecord('default/logs')]),
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(loadSnapshot).toHaveBeenCalledTimes(1);
    expect((await store.listPods('default/logs')).map((pod) => pod.nodeName).sort()).toEqual(['node-a', 'node-b']);
    expect(workQueue.drain()).toEqual([{ key: 'default/logs', delaySeconds: 0 }]);
  });

  it('enqueues nothing once the plan is a fixpoint', async () => {
    const store = await aClusterWithTwoNodes();
    const { workQueue, handler } = setUp(store);
    await handler(anSqsEvent([reconcileRecord('default/logs')]));
    workQueue.drain();

    await handler(anSqsEvent([reconcileRecord('default/logs')]));

    expect(workQueue.drain()).toEqual([]);
  });

  it('treats a daemon set that does not exist as converged', async () => {
    const { workQueue, handler } = setUp(new InMemoryClusterStore({ now: () => SENT_AT }));

    const response = await handler(anSqsEvent([reconcileRecord('default/ghost')]));

    expect(response.batchItemFailures).toEqual([]);
    expect(workQueue.drain()).toEqual([]);
  });

  it('clears the pending marker before it loads the snapshot', async () => {
    const store = await aClusterWithTwoNodes();
    await store.markReconcilePending('default/logs', SENT_AT, 60);
    const clear = vi.spyOn(store, 'clearReconcilePending');
    const loadSnapshot = vi.spyOn(store, 'loadSnapshot');
    const { workQueue, handler } = setUp(store);

    await handler(anSqsEvent([reconcileRecord('default/logs'), reconcileRecord('default/logs')]));

    expect(clear).toHaveBeenCalledTimes(1);
    expect(clear.mock.invocationCallOrder[0]).toBeLessThan(loadSnapshot.mock.invocationCallOrder[0] ?? 0);
    expect(workQueue.drain()).toEqual([{ key: 'default/logs', delaySeconds: 0 }]);
  });

  it('fails the record without a pass when the marker cannot be cleared', async () => {
    const store = await aClusterWithTwoNodes();
    const loadSnapshot = vi.spyOn(store, 'loadSnapshot');
    const failing = withFailures(store, { clearReconcilePending: () => aThrottlingError() });
    const { handler } = setUp(failing);
    const record = reconcileRecord('default/logs');

    const response = await handler(anSqsEvent([record]));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(loadSnapshot).not.toHaveBeenCalled();
  });

  it('keeps a marker set after its clear, and leaves its immediate re-check to the reconcile it stands for', async () => {
    const store = await aClusterWithTwoNodes();
    const load = store.loadSnapshot.bind(store);
    const marks: string[] = [];
    vi.spyOn(store, 'loadSnapshot').mockImplementation(async (key) => {
      marks.push(await store.markReconcilePending(key, SENT_AT, 60));
      return load(key);
    });
    const { workQueue, handler } = setUp(store);

    await handler(anSqsEvent([reconcileRecord('default/logs')]));

    expect(marks).toEqual(['enqueue']);
    expect(workQueue.drain()).toEqual([]);
    expect(await store.markReconcilePending('default/logs', SENT_AT, 60)).toBe('coalesced');
  });

  it('puts a delayed re-check back whatever the marker says', async () => {
    const store = new InMemoryClusterStore({ now: () => SENT_AT });
    await store.applyDaemonSet(aDaemonSet('logs').withMinReadySeconds(30).build(), AT);
    await store.putNode(aNode('node-a').build(), AT);
    const { workQueue, handler } = setUp(store);
    await handler(anSqsEvent([reconcileRecord('default/logs')]));
    const [pod] = await store.listPods('default/logs');
    const report = { namespace: 'default', daemonSet: 'logs', nodeName: 'node-a', phase: 'Running' } as const;
    await store.putPodStatus({
      ...report,
      podName: pod?.name ?? '',
      revisionHash: pod?.revisionHash ?? '',
      ready: true,
      readySince: AT,
      observedAt: AT,
    });
    await handler(anSqsEvent([reconcileRecord('default/logs')]));
    workQueue.drain();
    const load = store.loadSnapshot.bind(store);
    vi.spyOn(store, 'loadSnapshot').mockImplementation(async (key) => {
      await store.markReconcilePending(key, SENT_AT, 60);
      return load(key);
    });

    await handler(anSqsEvent([reconcileRecord('default/logs')]));

    expect(workQueue.drain()).toEqual([{ key: 'default/logs', delaySeconds: 31 }]);
  });

  it('records a malformed message as a rejection and acknowledges it', async () => {
    const store = new InMemoryClusterStore({ now: () => SENT_AT });
    const { observability, handler } = setUp(store);
    const bad = anSqsRecord({ daemonSet: 'no-namespace' });

    const response = await handler(anSqsEvent([bad]));

    expect(response.batchItemFailures).toEqual([]);
    expect(await store.listRejections()).toEqual([
      expect.objectContaining({ id: bad.messageId, reason: expect.stringMatching(/^invalid reconcile message/) }),
    ]);
    expect(observability.metrics.counts.get('TerminalFailures')).toBe(1);
  });

  it('leaves a DaemonSet to the pass already pending when it loses its race, enqueuing nothing', async () => {
    const store = await aClusterWithTwoNodes();
    let racing = true;
    // The winner writes just before this pass does, then marks: its re-check is on the queue.
    const applyStep = async (...args: Parameters<ClusterStore['applyStep']>): Promise<void> => {
      if (!racing) return store.applyStep(...args);
      racing = false;
      await store.markReconcilePending('default/logs', SENT_AT, 60);
      throw new VersionConflictError('default/logs');
    };
    const conflicted = new Proxy(store, {
      get: (target, property) => {
        if (property === 'applyStep') return applyStep;
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const { workQueue, observability, handler } = setUp(conflicted);

    const response = await handler(anSqsEvent([reconcileRecord('default/logs')]));

    expect(response.batchItemFailures).toEqual([]);
    expect(workQueue.drain()).toEqual([]);
    expect(await store.listPods('default/logs')).toEqual([]);
    expect(observability.metrics.counts.get('ReconcilesHandedOver')).toBe(1);
  });

  it('plans again itself after losing to a pass that left nothing pending, so the fact only it saw counts', async () => {
    const store = await aClusterWithTwoNodes();
    const { workQueue, handler } = setUp(store);
    await handler(anSqsEvent([reconcileRecord('default/logs')]));
    workQueue.drain();
    const ready = async (nodeName: string) => {
      const pod = (await store.listPods('default/logs')).find((each) => each.nodeName === nodeName);
      await store.putPodStatus({
        namespace: 'default',
        daemonSet: 'logs',
        nodeName,
        podName: pod?.name ?? '',
        revisionHash: pod?.revisionHash ?? '',
        phase: 'Running',
        ready: true,
        readySince: AT,
        observedAt: AT,
      });
    };
    // The winner loaded when node-a's pod was Ready and node-b's not yet; this pass loads after both.
    await ready('node-a');
    const winnersSnapshot = await store.loadSnapshot('default/logs');
    await ready('node-b');
    let raced = false;
    const racing = new Proxy(store, {
      get: (target, property) => {
        if (property === 'applyStep') {
          return async (...args: Parameters<ClusterStore['applyStep']>) => {
            if (!raced && winnersSnapshot !== undefined) {
              raced = true;
              // The winner's status-only step lands first; a pass that writes no pod enqueues no re-check.
              const winnersStep = planReconcile(winnersSnapshot, SENT_AT);
              await store.applyStep('default/logs', winnersStep, winnersSnapshot.version);
            }
            return store.applyStep(...args);
          };
        }
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const { handler: losing } = setUp(racing);

    const response = await losing(anSqsEvent([reconcileRecord('default/logs')]));

    expect(response.batchItemFailures).toEqual([]);
    expect(raced).toBe(true);
    expect((await store.getDaemonSet('default/logs'))?.status?.numberReady).toBe(2);
  });

  it('fails the record when the daemon set keeps moving, so SQS redelivers it', async () => {
    const store = await aClusterWithTwoNodes();
    const conflicted = withFailures(store, { applyStep: (key) => new VersionConflictError(String(key)) });
    const { workQueue, handler } = setUp(conflicted);
    const record = reconcileRecord('default/logs');
    const other = reconcileRecord('default/absent');

    const response = await handler(anSqsEvent([record, other]));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(workQueue.drain()).toEqual([]);
    expect(await store.listRejections()).toEqual([]);
  });
});
