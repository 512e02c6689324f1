import 'aws-sdk-client-mock-vitest/extend';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { VersionConflictError } from '../../../../lib/ports/errors.js';
import { aDaemonSet } from '../../../fixtures/builders/a-daemon-set.js';
import { aLiveRecord } from '../store-fixtures.js';
import { aStore, daemonSetItems, KEY, RECORD_QUERY } from './dynamo-fixtures.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const failedCondition = () =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
  });

beforeEach(() => {
  dynamo.reset();
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(TransactWriteCommand).resolves({});
});

describe('DynamoClusterStore DaemonSet facts', () => {
  it('creates the spec and state items together, only where none is stored', async () => {
    const result = await aStore().applyDaemonSet(aDaemonSet('agent').build(), '2026-01-01T00:00:05Z');

    expect(result).toEqual({ outcome: 'stored', generation: 1 });
    expect(dynamo).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        {
          Put: expect.objectContaining({
            Item: expect.objectContaining({ sk: 'DAEMONSET', version: 1, gsi2pk: 'KIND#DaemonSet' }),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        },
        {
          Put: expect.objectContaining({
            Item: expect.objectContaining({ sk: 'DAEMONSET#STATE', version: 1 }),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        },
      ],
    });
  });

  it('replaces the spec only if it is as read, and moves the state item to the next version', async () => {
    dynamo.on(QueryCommand, RECORD_QUERY).resolves({ Items: daemonSetItems(aLiveRecord(3), 2) });

    await aStore().applyDaemonSet(aDaemonSet('agent').withImage('agent:2').build(), '2026-01-01T00:00:05Z');

    const [spec, state] = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(spec?.Put).toMatchObject({
      Item: { sk: 'DAEMONSET', version: 4, observedAt: '2026-01-01T00:00:05.000Z' },
      ConditionExpression: '#version = :readVersion AND #observedAt = :readObservedAt',
      ExpressionAttributeValues: { ':readVersion': 2, ':readObservedAt': '2026-01-01T00:00:00.000Z' },
    });
    expect(spec?.Put?.Item).not.toHaveProperty('status');
    expect(state?.Update).toMatchObject({
      Key: { sk: 'DAEMONSET#STATE' },
      UpdateExpression: 'SET #version = :version',
      ConditionExpression: '#version = :readVersion',
      ExpressionAttributeValues: { ':version': 4, ':readVersion': 3 },
    });
  });

  it('only advances the fact time of an identical apply, on the spec item alone', async () => {
    dynamo.on(QueryCommand, RECORD_QUERY).resolves({ Items: daemonSetItems(aLiveRecord(3), 2) });
    dynamo.on(UpdateCommand).resolves({});

    // A manifest that leaves both rollout switches unset keeps them, so only the fact time moves.
    const result = await aStore().applyDaemonSet(aLiveRecord(3).daemonSet, '2026-01-01T00:00:05Z', [
      'paused',
      'frozen',
    ]);

    expect(result).toEqual({ outcome: 'unchanged', generation: 1 });
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: 'DS#default/agent', sk: 'DAEMONSET' },
      UpdateExpression: 'SET #set0 = :set0',
      ConditionExpression: '#version = :readVersion AND #observedAt = :readObservedAt',
      ExpressionAttributeNames: expect.objectContaining({ '#set0': 'observedAt' }),
      ExpressionAttributeValues: expect.objectContaining({ ':readVersion': 2, ':set0': '2026-01-01T00:00:05.000Z' }),
    });
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 0);
  });

  it('reads again and decides again when the record moved under the write', async () => {
    dynamo
      .on(QueryCommand, RECORD_QUERY)
      .resolvesOnce({ Items: daemonSetItems(aLiveRecord(3)) })
      .resolves({ Items: daemonSetItems(aLiveRecord(4, { observedAt: '2026-01-01T00:00:09.000Z' })) });
    dynamo.on(TransactWriteCommand).rejectsOnce(failedCondition()).resolves({});

    const result = await aStore().applyDaemonSet(
      aDaemonSet('agent').withImage('agent:2').build(),
      '2026-01-01T00:00:05Z',
    );

    expect(result.outcome).toBe('stale');
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, { ...RECORD_QUERY, ConsistentRead: true });
    expect(dynamo.commandCalls(QueryCommand, RECORD_QUERY)).toHaveLength(2);
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('gives up with a VersionConflictError when an update keeps losing races', async () => {
    dynamo.on(QueryCommand, RECORD_QUERY).resolves({ Items: daemonSetItems(aLiveRecord(3)) });
    dynamo.on(TransactWriteCommand).rejects(failedCondition());

    const updating = aStore().updateDaemonSet(KEY, (current) => ({ ...current, minReadySeconds: 30 }));

    await expect(updating).rejects.toBeInstanceOf(VersionConflictError);
  });
});
