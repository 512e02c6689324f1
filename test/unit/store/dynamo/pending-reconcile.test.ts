import 'aws-sdk-client-mock-vitest/extend';
import { type AttributeValue, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { aStore, KEY, NOW, TABLE } from './dynamo-fixtures.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const STATE_KEY = { pk: 'DS#default/agent', sk: 'DAEMONSET#STATE' };
const refused = (item?: Record<string, AttributeValue>) =>
  new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: {},
    ...(item === undefined ? {} : { Item: item }),
  });

beforeEach(() => {
  dynamo.reset();
});

describe('DynamoClusterStore pending reconciles', () => {
  it('sets pendingSince on the state item only if it exists and has no fresh marker', async () => {
    dynamo.on(UpdateCommand).resolves({});

    const outcome = await aStore().markReconcilePending(KEY, NOW, 60);

    expect(outcome).toBe('enqueue');
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: TABLE,
      Key: STATE_KEY,
      UpdateExpression: 'SET #pending = :now',
      ConditionExpression: 'attribute_exists(#pk) AND (attribute_not_exists(#pending) OR #pending < :timedOut)',
      ExpressionAttributeValues: { ':now': NOW, ':timedOut': NOW - 60_000 },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  it('reports a refusal with a state item as coalesced, and one without as a key to enqueue', async () => {
    dynamo
      .on(UpdateCommand)
      .rejectsOnce(refused({ pk: { S: STATE_KEY.pk } }))
      .rejectsOnce(refused());

    const pending = await aStore().markReconcilePending(KEY, NOW, 60);
    const missing = await aStore().markReconcilePending(KEY, NOW, 60);

    expect([pending, missing]).toEqual(['coalesced', 'enqueue']);
  });

  it('rethrows anything but a refused condition', async () => {
    const throttled = new Error('slow down');
    throttled.name = 'ThrottlingException';
    dynamo.on(UpdateCommand).rejects(throttled);

    await expect(aStore().markReconcilePending(KEY, NOW, 60)).rejects.toBe(throttled);
    await expect(aStore().clearReconcilePending(KEY)).rejects.toBe(throttled);
  });

  it('removes the marker only where one is set, and takes a refusal quietly', async () => {
    dynamo.on(UpdateCommand).rejects(refused());

    await aStore().clearReconcilePending(KEY);

    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      Key: STATE_KEY,
      UpdateExpression: 'REMOVE #pending',
      ConditionExpression: 'attribute_exists(#pending)',
    });
  });
});
