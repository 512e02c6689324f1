import { describe, expect, it, vi } from 'vitest';
import { makeReconcileHandler } from '../../../functions/reconcile-handler.js';
import { VersionConflictError } from '../../../lib/reconcile/errors.js';
import type { ClusterStore } from '../../../lib/store/cluster-store.js';
import { InMemoryClusterStore } from '../../../lib/store/in-memory-cluster-store.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { withFailures } from '../../fixtures/events/failing-store.js';
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
