import 'aws-sdk-client-mock-vitest/extend';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { VersionConflictError } from '../../../../lib/ports/errors.js';
import { fromEventItem } from '../../../../lib/store/dynamo/table.js';
import { aLiveRecord, aStep, creates, STATUS } from '../store-fixtures.js';
import { aStore, daemonSetItems, KEY, RECORD_QUERY, TABLE } from './dynamo-fixtures.js';
import { loggedKeys } from './logged-keys.js';

const dynamo = mockClient(DynamoDBDocumentClient);

beforeEach(() => {
  dynamo.reset();
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(QueryCommand, RECORD_QUERY).resolves({ Items: daemonSetItems(aLiveRecord(3)) });
  dynamo.on(TransactWriteCommand).resolves({});
  dynamo.on(UpdateCommand).resolves({});
  dynamo.on(BatchWriteCommand).resolves({});
});

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const transactions = () =>
  dynamo.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems ?? []);

describe('DynamoClusterStore.applyStep', () => {
  it('sends one transaction whose update of the small state item is conditioned on the version read', async () => {
    await aStore().applyStep(KEY, aStep({ actions: creates(1) }), 3);

    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    expect(dynamo).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        {
          Update: expect.objectContaining({
            TableName: TABLE,
            Key: { pk: 'DS#default/agent', sk: 'DAEMONSET#STATE' },
            ConditionExpression: '#version = :expected AND attribute_not_exists(#claimId)',
            ExpressionAttributeValues: expect.objectContaining({ ':expected': 3, ':version': 4 }),
          }),
        },
        {
          Put: expect.objectContaining({
            Item: expect.objectContaining({
              pk: 'DS#default/agent',
              sk: 'POD#node-0#agent-0',
              gsi1pk: 'NODE#node-0',
              seq: expect.any(Number),
              writeId: expect.any(String),
            }),
            ConditionExpression: 'attribute_not_exists(pk) OR attribute_exists(removedAt)',
          }),
        },
      ],
    });
  });

  it('marks a deleted pod keeping an earlier deletion time, and removes an orphaned pod with its status', async () => {
    const deletions = [
      { kind: 'deletePod', podName: 'agent-a', nodeName: 'node-a', reason: 'outdated' },
      { kind: 'deletePod', podName: 'agent-b', nodeName: 'node-b', reason: 'orphaned' },
    ] as const;

    await aStore().applyStep(KEY, aStep({ actions: deletions }), 3);

    const [, mark, removePod, removeStatus] = transactions()[0] ?? [];
    expect(mark?.Update).toMatchObject({
      Key: { sk: 'POD#node-a#agent-a' },
      UpdateExpression:
        'SET #deletionTimestamp = if_not_exists(#deletionTimestamp, :deletionTimestamp), #seq = :seq, #writeId = :writeId',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(removedAt)',
    });
    // Removals leave markers (keys, stamp, expiry; no index keys) that warm readers see through bySeq.
    expect(removePod?.Put).toMatchObject({
      Item: {
        pk: 'DS#default/agent',
        sk: 'POD#node-b#agent-b',
        removedAt: expect.any(String),
        expiresAt: expect.any(Number),
      },
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(removedAt)',
    });
    expect(removePod?.Put?.Item).not.toHaveProperty('gsi1pk');
    expect(removeStatus?.Put).toMatchObject({
      TableName: TABLE,
      Item: { pk: 'DS#default/agent', sk: 'POD#node-b#agent-b#STATUS', removedAt: expect.any(String) },
    });
    expect(removeStatus?.Put).not.toHaveProperty('ConditionExpression');
  });

  it('logs a chunk of many items in one step log instead of a bySeq entry per item', async () => {
    const deletions = ['a', 'b', 'c', 'd'].map(
      (node) =>
        ({ kind: 'deletePod', podName: `agent-${node}`, nodeName: `node-${node}`, reason: 'outdated' }) as const,
    );

    const chunked = aStore({ claimedStepItems: Number.POSITIVE_INFINITY });
    await chunked.applyStep(KEY, aStep({ actions: [...creates(4), ...deletions] }), 3);

    const [, ...items] = transactions()[0] ?? [];
    const log = items.at(-1)?.Put?.Item;
    const logged = items.slice(0, -1);
    expect(log).toMatchObject({
      pk: 'DS#default/agent',
      sk: expect.stringMatching(/^STEP#\d+#/),
      seq: expect.any(Number),
      writeId: expect.any(String),
      expiresAt: expect.any(Number),
    });
    expect(loggedKeys(log)).toEqual([
      ...[0, 1, 2, 3].map((index) => `POD#node-${index}#agent-${index}`),
      ...['a', 'b', 'c', 'd'].map((node) => `POD#node-${node}#agent-${node}`),
    ]);
    // Every logged item carries the log's write id and no seq (so no bySeq entry); a marked pod loses its seq.
    for (const item of logged.flatMap((entry) => entry.Put?.Item ?? [])) {
      expect(item).not.toHaveProperty('seq');
      expect(item['writeId']).toBe(log?.['writeId']);
    }
    const mark = logged.find((entry) => entry.Update !== undefined)?.Update;
    expect(mark?.UpdateExpression).toBe(
      'SET #deletionTimestamp = if_not_exists(#deletionTimestamp, :deletionTimestamp), #writeId = :writeId REMOVE #seq',
    );
    expect(mark?.ExpressionAttributeValues).toMatchObject({ ':writeId': log?.['writeId'] });
    expect(mark?.ExpressionAttributeValues).not.toHaveProperty(':seq');
  });

  it('moves the version on with every chunk and writes status with the last', async () => {
    const chunked = aStore({ claimedStepItems: Number.POSITIVE_INFINITY });
    await chunked.applyStep(KEY, aStep({ actions: creates(250), status: { ...STATUS, numberReady: 1 } }), 3);

    const [first, middle, last] = transactions();
    // 98 pods, the guard and the chunk's step log; the last: 54 pods, the guard and its log.
    expect([first?.length, middle?.length, last?.length]).toEqual([100, 100, 56]);
    expect(first?.[0]?.Update).toMatchObject({
      UpdateExpression: 'SET #version = :version',
      ExpressionAttributeValues: { ':expected': 3, ':version': 4 },
    });
    expect(middle?.[0]?.Update).toMatchObject({
      UpdateExpression: 'SET #version = :version',
      ExpressionAttributeValues: { ':expected': 4, ':version': 5 },
    });
    expect(last?.[0]?.Update).toMatchObject({
      UpdateExpression: 'SET #version = :version, #status = :status, #memory = :memory',
      ExpressionAttributeValues: { ':expected': 5, ':version': 6 },
    });
  });

  it('writes status alone with one conditional update of the state item instead of a transaction', async () => {
    await aStore().applyStep(KEY, aStep({ status: { ...STATUS, numberReady: 1 } }), 3);

    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: 'DS#default/agent', sk: 'DAEMONSET#STATE' },
      UpdateExpression: 'SET #version = :version, #status = :status, #memory = :memory',
      ConditionExpression: '#version = :expected AND attribute_not_exists(#claimId)',
      ExpressionAttributeValues: expect.objectContaining({ ':expected': 3, ':version': 4 }),
    });
  });

  it('writes a reverted template to the spec item in the transaction that moves the version', async () => {
    const template = aLiveRecord(3).daemonSet.template;

    await aStore().applyStep(KEY, aStep({ revertTemplate: { template, toRevision: 1 } }), 3);

    const [guard, spec] = transactions()[0] ?? [];
    expect(guard?.Update).toMatchObject({
      Key: { sk: 'DAEMONSET#STATE' },
      ConditionExpression: '#version = :expected AND attribute_not_exists(#claimId)',
    });
    expect(spec?.Update).toMatchObject({
      Key: { sk: 'DAEMONSET' },
      UpdateExpression: 'SET #daemonSet = :daemonSet, #version = :version',
      ExpressionAttributeValues: { ':version': 4 },
    });
  });

  it('writes the step events as one item after the commit, outside the transaction', async () => {
    const event = { type: 'Normal', reason: 'SuccessfulCreate', time: '2026-01-01T01:00:00.000Z' } as const;
    const events = [0, 1, 2].map((index) => ({ ...event, message: `Created pod: agent-${index}` }));

    await aStore().applyStep(KEY, aStep({ actions: creates(3), events }), 3);

    expect(transactions()[0]?.map((item) => item.Update?.Key?.['sk'] ?? item.Put?.Item?.['sk'])).toEqual([
      'DAEMONSET#STATE',
      'POD#node-0#agent-0',
      'POD#node-1#agent-1',
      'POD#node-2#agent-2',
    ]);
    const [put] = dynamo
      .commandCalls(BatchWriteCommand)
      .flatMap((call) => call.args[0].input.RequestItems?.[TABLE] ?? []);
    const item = put?.PutRequest?.Item ?? {};
    expect(item).toMatchObject({ pk: 'EVENTS#default/agent', sk: '2026-01-01T01:00:00.000Z#000000000003#0000' });
    // Stored compressed (the messages repeat), read back as the step listed them.
    expect(item['eventsGzip']).toBeInstanceOf(Uint8Array);
    expect((item['eventsGzip'] as Uint8Array).byteLength).toBeLessThan(JSON.stringify(events).length);
    expect(fromEventItem(item)).toEqual(events);
  });

  it('throws when the events cannot be written, leaving the committed step in place', async () => {
    const failure = new Error('network down');
    dynamo.on(BatchWriteCommand).rejects(failure);
    const event = {
      type: 'Normal',
      reason: 'SuccessfulCreate',
      message: 'x',
      time: '2026-01-01T01:00:00.000Z',
    } as const;

    const applying = aStore().applyStep(KEY, aStep({ actions: creates(1), events: [event] }), 3);

    await expect(applying).rejects.toBe(failure);
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('sends no write for a step that changes nothing', async () => {
    await aStore().applyStep(KEY, aStep(), 3);

    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
    expect(dynamo).toHaveReceivedCommandTimes(UpdateCommand, 0);
    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 0);
  });

  it('reads the DaemonSet strongly consistently and refuses a stale version before writing', async () => {
    const applying = aStore().applyStep(KEY, aStep({ actions: creates(1) }), 2);

    await expect(applying).rejects.toBeInstanceOf(VersionConflictError);
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, { ...RECORD_QUERY, ConsistentRead: true });
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
  });

  it('turns a transaction cancelled by a failed condition into a VersionConflictError with the cause', async () => {
    const failure = cancelled('ConditionalCheckFailed', 'None');
    dynamo.on(TransactWriteCommand).rejects(failure);

    const applying = aStore().applyStep(KEY, aStep({ actions: creates(1) }), 3);

    await expect(applying).rejects.toSatisfy(
      (error) => error instanceof VersionConflictError && error.key === KEY && error.cause === failure,
    );
  });

  it('rethrows a transaction cancelled for another reason untouched', async () => {
    const failure = cancelled('None', 'TransactionConflict');
    dynamo.on(TransactWriteCommand).rejects(failure);

    const applying = aStore().applyStep(KEY, aStep({ actions: creates(1) }), 3);

    await expect(applying).rejects.toBe(failure);
  });

  it('rethrows errors it does not understand untouched', async () => {
    const failure = Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
    dynamo.on(TransactWriteCommand).rejects(failure);

    const applying = aStore().applyStep(KEY, aStep({ actions: creates(1) }), 3);

    await expect(applying).rejects.toBe(failure);
  });
});
