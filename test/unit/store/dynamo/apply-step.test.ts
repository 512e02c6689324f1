import 'aws-sdk-client-mock-vitest/extend';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { VersionConflictError } from '../../../../lib/reconcile/errors.js';
import { aLiveRecord, aStep, creates, STATUS } from '../store-fixtures.js';
import { aDaemonSetItem, aStore, KEY, TABLE } from './dynamo-fixtures.js';

const dynamo = mockClient(DynamoDBDocumentClient);

beforeEach(() => {
  dynamo.reset();
  dynamo.on(GetCommand).resolves({ Item: aDaemonSetItem(aLiveRecord(3)) });
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(TransactWriteCommand).resolves({});
  dynamo.on(UpdateCommand).resolves({});
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
  it('sends one transaction whose DaemonSet update is conditioned on the version read', async () => {
    await aStore().applyStep(KEY, aStep({ actions: creates(1) }), 3);

    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    expect(dynamo).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        {
          Update: expect.objectContaining({
            TableName: TABLE,
            Key: { pk: 'DS#default/agent', sk: 'DAEMONSET' },
            ConditionExpression: '#version = :expected',
            ExpressionAttributeValues: expect.objectContaining({ ':expected': 3, ':version': 4 }),
          }),
        },
        {
          Put: expect.objectContaining({
            Item: expect.objectContaining({ pk: 'DS#default/agent', sk: 'POD#agent-0', gsi1pk: 'NODE#node-0' }),
            ConditionExpression: 'attribute_not_exists(pk)',
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
      Key: { sk: 'POD#agent-a' },
      UpdateExpression: 'SET #deletionTimestamp = if_not_exists(#deletionTimestamp, :deletionTimestamp)',
      ConditionExpression: 'attribute_exists(pk)',
    });
    expect(removePod?.Delete).toMatchObject({
      Key: { sk: 'POD#agent-b' },
      ConditionExpression: 'attribute_exists(pk)',
    });
    expect(removeStatus?.Delete).toEqual({
      TableName: TABLE,
      Key: { pk: 'DS#default/agent', sk: 'PODSTATUS#agent-b' },
    });
  });

  it('moves the version on with every chunk and writes status with the last', async () => {
    await aStore().applyStep(KEY, aStep({ actions: creates(250), status: { ...STATUS, numberReady: 1 } }), 3);

    const [first, middle, last] = transactions();
    expect([first?.length, middle?.length, last?.length]).toEqual([100, 100, 53]);
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

  it('writes status alone with one conditional update instead of a transaction', async () => {
    await aStore().applyStep(KEY, aStep({ status: { ...STATUS, numberReady: 1 } }), 3);

    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      ConditionExpression: '#version = :expected',
      ExpressionAttributeValues: expect.objectContaining({ ':expected': 3, ':version': 4 }),
    });
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
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, { ConsistentRead: true });
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
