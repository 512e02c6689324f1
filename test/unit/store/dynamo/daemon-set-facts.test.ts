import 'aws-sdk-client-mock-vitest/extend';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { VersionConflictError } from '../../../../lib/reconcile/errors.js';
import { aDaemonSet } from '../../../fixtures/builders/a-daemon-set.js';
import { aLiveRecord } from '../store-fixtures.js';
import { aDaemonSetItem, aStore, KEY } from './dynamo-fixtures.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const failedCondition = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

beforeEach(() => {
  dynamo.reset();
  dynamo.on(QueryCommand).resolves({ Items: [] });
});

describe('DynamoClusterStore DaemonSet facts', () => {
  it('creates a DaemonSet only where none is stored', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(PutCommand).resolves({});

    const result = await aStore().applyDaemonSet(aDaemonSet('agent').build(), '2026-01-01T00:00:05Z');

    expect(result).toEqual({ outcome: 'stored', generation: 1 });
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ pk: 'DS#default/agent', sk: 'DAEMONSET', version: 1, gsi2pk: 'KIND#DaemonSet' }),
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('replaces a stored DaemonSet only if it is still at the version and fact time read', async () => {
    dynamo.on(GetCommand).resolves({ Item: aDaemonSetItem(aLiveRecord(3)) });
    dynamo.on(PutCommand).resolves({});

    await aStore().applyDaemonSet(aDaemonSet('agent').withImage('agent:2').build(), '2026-01-01T00:00:05Z');

    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ version: 4, observedAt: '2026-01-01T00:00:05.000Z' }),
      ConditionExpression: '#version = :readVersion AND #observedAt = :readObservedAt',
      ExpressionAttributeValues: { ':readVersion': 3, ':readObservedAt': '2026-01-01T00:00:00.000Z' },
    });
  });

  it('only advances the fact time of an identical apply, leaving the version alone', async () => {
    dynamo.on(GetCommand).resolves({ Item: aDaemonSetItem(aLiveRecord(3)) });
    dynamo.on(UpdateCommand).resolves({});

    const result = await aStore().applyDaemonSet(aLiveRecord(3).daemonSet, '2026-01-01T00:00:05Z');

    expect(result).toEqual({ outcome: 'unchanged', generation: 1 });
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      UpdateExpression: 'SET #observedAt = :observedAt',
      ConditionExpression: '#version = :readVersion AND #observedAt = :readObservedAt',
    });
    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 0);
  });

  it('reads again and decides again when the record moved under the write', async () => {
    dynamo
      .on(GetCommand)
      .resolvesOnce({ Item: aDaemonSetItem(aLiveRecord(3)) })
      .resolves({ Item: aDaemonSetItem(aLiveRecord(4, { observedAt: '2026-01-01T00:00:09.000Z' })) });
    dynamo.on(PutCommand).rejectsOnce(failedCondition()).resolves({});

    const result = await aStore().applyDaemonSet(
      aDaemonSet('agent').withImage('agent:2').build(),
      '2026-01-01T00:00:05Z',
    );

    expect(result.outcome).toBe('stale');
    expect(dynamo).toHaveReceivedCommandTimes(GetCommand, 2);
    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 1);
  });

  it('gives up with a VersionConflictError when an update keeps losing races', async () => {
    dynamo.on(GetCommand).resolves({ Item: aDaemonSetItem(aLiveRecord(3)) });
    dynamo.on(PutCommand).rejects(failedCondition());

    const updating = aStore().updateDaemonSet(KEY, (current) => ({ ...current, minReadySeconds: 30 }));

    await expect(updating).rejects.toBeInstanceOf(VersionConflictError);
  });
});
