import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { makeIngestHandler } from '../../../functions/ingest-handler.js';
import type { Node } from '../../../lib/model/node.js';
import { InMemoryClusterStore } from '../../../lib/store/memory/in-memory-cluster-store.js';
import { aThrottlingError, withFailures } from '../../fixtures/events/failing-store.js';
import { aDaemonSetManifest, aNodeManifest } from '../../fixtures/events/manifests.js';
import { aRecordingObservability } from '../../fixtures/events/recording-observability.js';
import { RecordingWorkQueue } from '../../fixtures/events/recording-work-queue.js';
import { anSqsEvent, anSqsRecord, SENT_AT } from '../../fixtures/events/sqs-records.js';

/** A receiver's clock later than the EventBridge samples' times (March 2026). */
const AFTER_THE_EVENTS = Date.parse('2026-03-12T09:00:00Z');

function setUp(store = new InMemoryClusterStore({ now: () => SENT_AT }), now = () => SENT_AT) {
  const workQueue = new RecordingWorkQueue();
  const observability = aRecordingObservability();
  const handler = makeIngestHandler({ store, workQueue, observability, now });
  /** Takes what was enqueued and runs the start of each pass: the marker is cleared. */
  const reconciled = async () => {
    const taken = workQueue.drain();
    for (const { key } of taken) await store.clearReconcilePending(key);
    return taken;
  };
  return { store, workQueue, observability, handler, reconciled };
}

const redelivered = (record: SQSRecord): SQSRecord => ({
  ...record,
  attributes: { ...record.attributes, ApproximateReceiveCount: '2' },
});

const applied = (name: string, options = {}) => ({
  type: 'DaemonSetApplied',
  manifest: aDaemonSetManifest(name, options),
});
const joined = (name: string) => ({ type: 'NodeJoined', node: aNodeManifest(name) });

describe('makeIngestHandler', () => {
  it('stores a node and enqueues every daemon set', async () => {
    const { store, workQueue, handler, reconciled } = setUp();
    await handler(anSqsEvent([anSqsRecord(applied('logs')), anSqsRecord(applied('metrics'))]));
    await reconciled();

    const response = await handler(anSqsEvent([anSqsRecord(joined('node-a'))]));

    expect(response.batchItemFailures).toEqual([]);
    expect((await store.listNodes()).map((node) => node.name)).toEqual(['node-a']);
    expect(
      workQueue
        .drain()
        .map(({ key }) => key)
        .sort(),
    ).toEqual(['default/logs', 'default/metrics']);
  });

  it('enqueues each daemon set once for a batch of node joins', async () => {
    const { workQueue, handler, reconciled } = setUp();
    await handler(anSqsEvent([anSqsRecord(applied('logs'))]));
    await reconciled();

    await handler(
      anSqsEvent([anSqsRecord(joined('node-a')), anSqsRecord(joined('node-b')), anSqsRecord(joined('node-c'))]),
    );

    expect(workQueue.drain()).toEqual([{ key: 'default/logs', delaySeconds: 0 }]);
  });

  it('fails every record that stored a fact when the reconcile queue refuses, so the keys are sent again', async () => {
    const { store, workQueue, handler, reconciled } = setUp();
    await handler(anSqsEvent([anSqsRecord(applied('logs'))]));
    await reconciled();
    const records = [anSqsRecord(joined('node-a')), anSqsRecord(joined('node-b'))];
    const refusing = makeIngestHandler({
      store,
      workQueue: {
        enqueue: () => Promise.reject(aThrottlingError()),
        enqueueGateChecks: () => Promise.reject(aThrottlingError()),
      },
      observability: aRecordingObservability(),
      now: () => SENT_AT,
    });

    const response = await refusing(anSqsEvent(records));
    const retried = await handler(anSqsEvent(records.map(redelivered)));

    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(
      records.map((record) => record.messageId),
    );
    expect(retried.batchItemFailures).toEqual([]);
    expect(workQueue.drain()).toEqual([{ key: 'default/logs', delaySeconds: 0 }]);
  });

  it('enqueues only the applied daemon set', async () => {
    const { store, workQueue, handler } = setUp();

    await handler(anSqsEvent([anSqsRecord(applied('logs', { namespace: 'ops' }))]));

    expect(await store.getDaemonSet('ops/logs')).toBeDefined();
    expect(workQueue.drain()).toEqual([{ key: 'ops/logs', delaySeconds: 0 }]);
  });

  it('enqueues the daemon set of a pod status report', async () => {
    const { workQueue, handler } = setUp();
    const report = {
      namespace: 'ops',
      daemonSet: 'logs',
      podName: 'logs-node-a',
      nodeName: 'node-a',
      revisionHash: 'abc',
      phase: 'Running',
      ready: true,
      observedAt: '2026-01-01T00:00:00Z',
    };

    await handler(anSqsEvent([anSqsRecord({ type: 'PodStatusReported', report })]));

    expect(workQueue.drain()).toEqual([{ key: 'ops/logs', delaySeconds: 0 }]);
  });

  it('applies a rollout command to the stored spec, then enqueues', async () => {
    const { store, workQueue, handler, reconciled } = setUp();
    await handler(anSqsEvent([anSqsRecord(applied('logs'))]));
    await reconciled();

    await handler(
      anSqsEvent([anSqsRecord({ type: 'RolloutCommand', namespace: 'default', name: 'logs', command: 'pause' })]),
    );

    expect((await store.getDaemonSet('default/logs'))?.daemonSet.rollout.paused).toBe(true);
    expect(workQueue.drain()).toEqual([{ key: 'default/logs', delaySeconds: 0 }]);
  });

  it('enqueues again when a redelivered fact is already stored, even while a reconcile is pending', async () => {
    const { workQueue, handler } = setUp();
    const record = anSqsRecord(applied('logs'));
    await handler(anSqsEvent([record]));
    workQueue.drain();

    await handler(anSqsEvent([redelivered(record)]));

    expect(workQueue.drain()).toEqual([{ key: 'default/logs', delaySeconds: 0 }]);
  });

  it('records a malformed record as a rejection and acknowledges it without holding up the others', async () => {
    const { store, workQueue, observability, handler } = setUp();
    const bad = anSqsRecord('{"type":"NodeJoined","node":', { messageId: 'bad-1' });

    const response = await handler(anSqsEvent([anSqsRecord(joined('node-a')), bad, anSqsRecord(joined('node-b'))]));

    expect(response.batchItemFailures).toEqual([]);
    expect((await store.listNodes()).map((node) => node.name).sort()).toEqual(['node-a', 'node-b']);
    expect(await store.listRejections()).toEqual([
      {
        id: 'bad-1',
        source: 'everynode-ingest',
        reason: expect.stringMatching(/^message body is not valid JSON/),
        body: bad.body,
        time: new Date(SENT_AT).toISOString(),
      },
    ]);
    expect(observability.metrics.counts.get('TerminalFailures')).toBe(1);
    expect(workQueue.enqueued).toEqual([]);
  });

  it('records a terminal record once however often it is delivered', async () => {
    const { store, handler } = setUp();
    const bad = anSqsRecord({ type: 'NodeExploded' });

    await handler(anSqsEvent([bad]));
    await handler(anSqsEvent([bad]));

    expect((await store.listRejections()).map((rejection) => rejection.id)).toEqual([bad.messageId]);
  });

  it('refuses a rollout command for a daemon set that does not exist', async () => {
    const { store, handler } = setUp();
    const command = anSqsRecord({ type: 'RolloutCommand', namespace: 'ops', name: 'ghost', command: 'resume' });

    const response = await handler(anSqsEvent([command]));

    expect(response.batchItemFailures).toEqual([]);
    expect(await store.listRejections()).toEqual([
      expect.objectContaining({ id: command.messageId, reason: expect.stringContaining('ops/ghost') }),
    ]);
  });

  it('refuses an undo with no revision to go back to', async () => {
    const { store, handler } = setUp();
    await handler(anSqsEvent([anSqsRecord(applied('logs'))]));
    const undo = anSqsRecord({
      type: 'RolloutCommand',
      namespace: 'default',
      name: 'logs',
      command: 'undo',
      toRevision: 7,
    });

    const response = await handler(anSqsEvent([undo]));

    expect(response.batchItemFailures).toEqual([]);
    expect(await store.listRejections()).toEqual([
      expect.objectContaining({ id: undo.messageId, reason: expect.stringContaining('revision 7') }),
    ]);
  });

  it('fails only the record whose write failed transiently', async () => {
    const store = withFailures(new InMemoryClusterStore({ now: () => SENT_AT }), {
      putNode: (node) => ((node as Node).name === 'node-b' ? aThrottlingError() : undefined),
    });
    const { handler } = setUp(store as InMemoryClusterStore);
    const failing = anSqsRecord(joined('node-b'));

    const response = await handler(anSqsEvent([anSqsRecord(joined('node-a')), failing, anSqsRecord(joined('node-c'))]));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: failing.messageId }]);
    expect((await store.listNodes()).map((node) => node.name).sort()).toEqual(['node-a', 'node-c']);
    expect(await store.listRejections()).toEqual([]);
  });

  it('acknowledges an ignored EC2 state without recording a rejection', async () => {
    const { store, workQueue, observability, handler } = setUp(undefined, () => AFTER_THE_EVENTS);
    const stopping = {
      'detail-type': 'EC2 Instance State-change Notification',
      source: 'aws.ec2',
      time: '2026-03-11T21:29:54Z',
      detail: { 'instance-id': 'i-0abcd1111aaaa2222', state: 'stopping' },
    };

    const response = await handler(anSqsEvent([anSqsRecord(stopping)]));

    expect(response.batchItemFailures).toEqual([]);
    expect(await store.listRejections()).toEqual([]);
    expect(workQueue.enqueued).toEqual([]);
    expect(observability.metrics.counts.get('IgnoredEvents')).toBe(1);
  });

  it('joins an Auto Scaling instance as a node named after it', async () => {
    const { store, handler } = setUp(undefined, () => AFTER_THE_EVENTS);
    const launch = {
      'detail-type': 'EC2 Instance Launch Successful',
      source: 'aws.autoscaling',
      time: '2026-03-11T21:31:47Z',
      detail: {
        EC2InstanceId: 'i-0b188560f1a2b3c4d',
        AutoScalingGroupName: 'workers',
        Details: { 'Availability Zone': 'eu-west-1b' },
      },
    };

    await handler(anSqsEvent([anSqsRecord(launch)]));

    expect((await store.getNode('i-0b188560f1a2b3c4d'))?.labels).toMatchObject({
      'topology.kubernetes.io/zone': 'eu-west-1b',
    });
  });
});
