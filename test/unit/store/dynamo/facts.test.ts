import 'aws-sdk-client-mock-vitest/extend';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { toNodeItem, toPodItem, toPodStatusItem } from '../../../../lib/store/dynamo/table.js';
import { aNode } from '../../../fixtures/builders/a-node.js';
import { aStore, KEY, TABLE } from './dynamo-fixtures.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const failedCondition = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const T1 = '2026-01-01T00:00:01.000Z';
const T2 = '2026-01-01T00:00:02.000Z';
const T3 = '2026-01-01T00:00:03.000Z';

beforeEach(() => {
  dynamo.reset();
});

describe('DynamoClusterStore node facts', () => {
  it('writes a node only over nothing or an older fact, with the time normalised', async () => {
    dynamo.on(PutCommand).resolves({});

    const outcome = await aStore().putNode(aNode('node-a').build(), '2026-01-01T01:00:01+01:00');

    expect(outcome).toBe('stored');
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ pk: 'NODES#3', sk: 'NODE#node-a', observedAt: T1, seq: expect.any(Number) }),
      ConditionExpression: 'attribute_not_exists(pk) OR #observedAt < :observedAt',
      ExpressionAttributeValues: { ':observedAt': T1 },
      ReturnValues: 'ALL_OLD',
    });
    expect(dynamo).toHaveReceivedCommandTimes(GetCommand, 0);
  });

  it('reads the stored fact after a failed condition to tell a duplicate from a stale fact', async () => {
    const node = aNode('node-a').build();
    dynamo.on(PutCommand).rejects(failedCondition());
    dynamo.on(GetCommand).resolves({ Item: toNodeItem('node-a', { node, observedAt: T2 }, { seq: 1, writeId: 'w1' }) });

    const duplicate = await aStore().putNode(node, T2);
    const stale = await aStore().putNode(aNode('node-a').notReady().build(), T1);

    expect([duplicate, stale]).toEqual(['unchanged', 'stale']);
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, { ConsistentRead: true });
  });

  it('reports an identical newer fact as unchanged from the item it replaced', async () => {
    const node = aNode('node-a').build();
    dynamo
      .on(PutCommand)
      .resolves({ Attributes: toNodeItem('node-a', { node, observedAt: T1 }, { seq: 1, writeId: 'w1' }) });

    const outcome = await aStore().putNode(node, T2);

    expect(outcome).toBe('unchanged');
  });

  it('stores a removal as a tombstone that expires', async () => {
    dynamo.on(PutCommand).resolves({
      Attributes: toNodeItem('node-a', { node: aNode('node-a').build(), observedAt: T1 }, { seq: 1, writeId: 'w1' }),
    });

    const outcome = await aStore({ tombstoneSeconds: 60 }).removeNode('node-a', T2);

    expect(outcome).toBe('stored');
    const item = dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item;
    expect(item).toEqual({
      pk: 'NODES#3',
      sk: 'NODE#node-a',
      seq: expect.any(Number),
      writeId: expect.any(String),
      observedAt: T2,
      expiresAt: Date.parse(T2) / 1000 + 60,
    });
  });
});

describe('DynamoClusterStore pod status facts', () => {
  const report = { namespace: 'default', daemonSet: 'agent', podName: 'agent-a', nodeName: 'node-a' } as const;
  const desired = {
    name: 'agent-a',
    nodeName: 'node-a',
    revisionHash: 'hash-1',
    labels: {},
    creationTimestamp: T1,
  };

  /** The agent confirms the pod gone at T2. */
  const goneReport = {
    ...report,
    revisionHash: 'hash-1',
    phase: 'Succeeded',
    ready: false,
    observedAt: T2,
    gone: true,
  } as const;

  /** The desired pod and its status, read together in one strongly consistent BatchGetItem. */
  const stored = (...items: Record<string, unknown>[]) =>
    dynamo.on(BatchGetCommand).resolves({ Responses: { [TABLE]: items } });

  it('reads the desired pod and its status in one strongly consistent request', async () => {
    stored(toPodItem(KEY, desired));
    dynamo.on(PutCommand).resolves({});

    await aStore().putPodStatus({ ...report, revisionHash: 'hash-1', phase: 'Running', ready: true, observedAt: T2 });

    expect(dynamo).toHaveReceivedCommandTimes(GetCommand, 0);
    expect(dynamo).toHaveReceivedCommandTimes(BatchGetCommand, 1);
    expect(dynamo.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.[TABLE]).toEqual({
      Keys: [
        { pk: 'DS#default/agent', sk: 'POD#node-a#agent-a' },
        { pk: 'DS#default/agent', sk: 'POD#node-a#agent-a#STATUS' },
      ],
      ConsistentRead: true,
    });
  });

  it('gathers the reads of reports handled side by side into one request', async () => {
    stored(toPodItem(KEY, desired));
    dynamo.on(PutCommand).resolves({});
    const store = aStore();

    await Promise.all(
      ['agent-a', 'agent-b', 'agent-c'].map((podName) =>
        store.putPodStatus({
          ...report,
          podName,
          revisionHash: 'hash-1',
          phase: 'Running',
          ready: true,
          observedAt: T2,
        }),
      ),
    );

    expect(dynamo).toHaveReceivedCommandTimes(BatchGetCommand, 1);
    expect(dynamo.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.[TABLE]?.Keys).toHaveLength(6);
    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 3);
  });

  it('stores a status beside the desired pod, in the byNode index, without an expiry', async () => {
    stored(toPodItem(KEY, desired));
    dynamo.on(PutCommand).resolves({});

    const outcome = await aStore().putPodStatus({
      ...report,
      revisionHash: 'hash-1',
      phase: 'Running',
      ready: true,
      observedAt: T2,
    });

    expect(outcome).toBe('stored');
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.not.objectContaining({ expiresAt: expect.anything() }),
      ConditionExpression: 'attribute_not_exists(pk) OR attribute_exists(#removedAt) OR #observedAt < :observedAt',
    });
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({
      sk: 'POD#node-a#agent-a#STATUS',
      gsi1pk: 'NODE#node-a',
      gsi1sk: 'STATUS#default/agent/agent-a',
      seq: expect.any(Number),
      writeId: expect.any(String),
    });
  });

  it('stores the gone marker, then replaces a terminating pod with a removal marker, without a transaction', async () => {
    stored(toPodItem(KEY, { ...desired, deletionTimestamp: T1 }));
    dynamo.on(PutCommand).resolves({});

    const outcome = await aStore().putPodStatus(goneReport);

    expect(outcome).toBe('stored');
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
    const [put, remove] = dynamo.commandCalls(PutCommand).map((call) => call.args[0].input);
    expect(put?.Item).toMatchObject({
      sk: 'POD#node-a#agent-a#STATUS',
      gone: true,
      expiresAt: expect.any(Number),
    });
    // The desired pod is replaced by a removal marker (out of the byNode index), so warm readers see it go.
    expect(remove).toMatchObject({
      Item: {
        pk: 'DS#default/agent',
        sk: 'POD#node-a#agent-a',
        removedAt: expect.any(String),
        seq: expect.any(Number),
      },
      ConditionExpression: 'attribute_exists(#deletionTimestamp)',
    });
    expect(remove?.Item).not.toHaveProperty('gsi1pk');
  });

  it('does not remove the pod when a newer status landed first: the report is stale by then', async () => {
    const terminating = toPodItem(KEY, { ...desired, deletionTimestamp: T1 });
    const newer = toPodStatusItem(KEY, 'agent-a', {
      nodeName: 'node-a',
      revisionHash: 'hash-1',
      phase: 'Running',
      ready: true,
      observedAt: T3,
      gone: false,
    });
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { [TABLE]: [terminating] } })
      .resolves({ Responses: { [TABLE]: [terminating, newer] } });
    dynamo.on(PutCommand).rejects(failedCondition());

    const outcome = await aStore().putPodStatus(goneReport);

    expect(outcome).toBe('stale');
    // One refused status write, and no removal of the pod after it.
    expect(dynamo.commandCalls(PutCommand).map((call) => call.args[0].input.Item?.['sk'])).toEqual([
      'POD#node-a#agent-a#STATUS',
    ]);
  });

  it('only removes the pod when the gone marker is already stored', async () => {
    const status = {
      nodeName: 'node-a',
      revisionHash: 'hash-1',
      phase: 'Succeeded',
      ready: false,
      observedAt: T2,
      gone: true,
    } as const;
    stored(toPodItem(KEY, { ...desired, deletionTimestamp: T1 }), toPodStatusItem(KEY, 'agent-a', status));
    dynamo.on(PutCommand).resolves({});

    const outcome = await aStore().putPodStatus({ ...report, ...status });

    expect(outcome).toBe('stored');
    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 1);
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({
      Item: { sk: 'POD#node-a#agent-a', removedAt: expect.any(String) },
      ConditionExpression: 'attribute_exists(#deletionTimestamp)',
    });
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
  });
});

describe('DynamoClusterStore rejections', () => {
  const rejection = { id: 'm-1', source: 'ingest', reason: 'bad', body: '{', time: T1 };

  it('records a rejection once: a redelivery fails the condition quietly', async () => {
    dynamo.on(PutCommand).rejects(failedCondition());

    await aStore().recordRejection(rejection);

    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ pk: 'REJECTION#m-1', gsi2pk: 'KIND#Rejection' }),
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('rethrows other failures', async () => {
    const failure = new Error('network down');
    dynamo.on(PutCommand).rejects(failure);

    await expect(aStore().recordRejection(rejection)).rejects.toBe(failure);
  });
});
