import 'aws-sdk-client-mock-vitest/extend';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
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
import type { Action } from '../../../../lib/model/pod.js';
import { VersionConflictError } from '../../../../lib/ports/errors.js';
import {
  CLAIM_LEASE_MS,
  ClaimLeaseEndedError,
  UncertainClaimedWriteError,
} from '../../../../lib/store/dynamo/claimed-step.js';
import { aLiveRecord, aStep, creates, STATUS } from '../store-fixtures.js';
import { aStore, daemonSetItems, KEY, NOW, RECORD_QUERY } from './dynamo-fixtures.js';
import { loggedKeys } from './logged-keys.js';

const dynamo = mockClient(DynamoDBDocumentClient);

beforeEach(() => {
  dynamo.reset();
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(QueryCommand, RECORD_QUERY).resolves({ Items: daemonSetItems(aLiveRecord(3)) });
  dynamo.on(UpdateCommand).resolves({});
  dynamo.on(PutCommand).resolves({});
  dynamo.on(BatchWriteCommand).resolves({ $metadata: { attempts: 1 } });
});

const stateUpdates = () =>
  dynamo
    .commandCalls(UpdateCommand)
    .map((call) => call.args[0].input)
    .filter((input) => input.Key?.['sk'] === 'DAEMONSET#STATE');
const release = () => stateUpdates().find((input) => input.ConditionExpression === '#claimId = :claimId');
const outdated = (index: number): Action => ({
  kind: 'deletePod',
  podName: `old-${index}`,
  nodeName: `node-${index}`,
  reason: 'outdated',
});

describe('DynamoClusterStore.applyStep, a step of many items (a claimed step)', () => {
  it('claims the DaemonSet, puts its creates in batches at one unit each, logs them and releases with status', async () => {
    const status = { ...STATUS, desiredNumberScheduled: 60 };

    await aStore().applyStep(KEY, aStep({ actions: creates(60), status }), 3);

    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
    const [claim] = stateUpdates();
    expect(claim).toMatchObject({
      UpdateExpression: 'SET #version = :next, #claimId = :claimId, #claimUntil = :claimUntil',
      ConditionExpression: '#version = :expected AND attribute_not_exists(#claimId)',
      ExpressionAttributeValues: { ':expected': 3, ':next': 4, ':claimUntil': NOW + CLAIM_LEASE_MS },
    });
    const claimId = claim?.ExpressionAttributeValues?.[':claimId'];
    const batches = dynamo
      .commandCalls(BatchWriteCommand)
      .map((call) => Object.values(call.args[0].input.RequestItems ?? {})[0] ?? []);
    expect(batches.map((batch) => batch.length)).toEqual([25, 25, 10]);
    // No condition (a BatchWriteItem has none), no `seq`: the claim's id as write id, found through the log.
    const pod = batches[0]?.[0]?.PutRequest?.Item;
    expect(pod).toMatchObject({ sk: 'POD#node-0#agent-0', gsi1pk: 'NODE#node-0', writeId: claimId });
    expect(pod).not.toHaveProperty('seq');
    const [log] = dynamo.commandCalls(PutCommand).map((call) => call.args[0].input.Item);
    expect(log).toMatchObject({ sk: expect.stringMatching(/^STEP#/), seq: expect.any(Number), writeId: claimId });
    expect(loggedKeys(log)).toHaveLength(60);
    expect(release()).toMatchObject({
      UpdateExpression:
        'SET #version = #version + :one, #status = :status, #memory = :memory REMOVE #claimId, #claimUntil, #pending',
      ExpressionAttributeValues: { ':claimId': claimId, ':status': JSON.stringify(status) },
    });
  });

  it('marks pods for deletion one conditional write each, keeping their condition', async () => {
    await aStore().applyStep(KEY, aStep({ actions: Array.from({ length: 30 }, (_, index) => outdated(index)) }), 3);

    const marks = dynamo
      .commandCalls(UpdateCommand)
      .map((call) => call.args[0].input)
      .filter((input) => String(input.Key?.['sk']).startsWith('POD#'));
    expect(marks).toHaveLength(30);
    expect(marks[0]).toMatchObject({
      UpdateExpression:
        'SET #deletionTimestamp = if_not_exists(#deletionTimestamp, :deletionTimestamp), #writeId = :writeId REMOVE #seq',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(removedAt)',
    });
    expect(release()).toBeDefined();
  });

  it('releases without status and reports a conflict when an item is refused (the pod was deleted meanwhile)', async () => {
    dynamo
      .on(UpdateCommand, { Key: { pk: 'DS#default/agent', sk: 'POD#node-3#old-3' } })
      .rejects(new ConditionalCheckFailedException({ message: 'refused', $metadata: {} }));

    const applying = aStore().applyStep(
      KEY,
      aStep({ actions: Array.from({ length: 30 }, (_, index) => outdated(index)) }),
      3,
    );

    await expect(applying).rejects.toBeInstanceOf(VersionConflictError);
    expect(release()?.UpdateExpression).toBe('SET #version = #version + :one REMOVE #claimId, #claimUntil, #pending');
    const [log] = dynamo.commandCalls(PutCommand).map((call) => call.args[0].input.Item);
    expect(loggedKeys(log).join('\n')).toContain('POD#node-3#old-3');
  });

  it('leaves the claim to expire when a write fails with an unknown outcome', async () => {
    dynamo.on(BatchWriteCommand).rejects(Object.assign(new Error('socket hang up'), { name: 'InternalServerError' }));

    const applying = aStore().applyStep(KEY, aStep({ actions: creates(60) }), 3);

    await expect(applying).rejects.toThrow(UncertainClaimedWriteError);
    await expect(applying.catch((error: Error) => Promise.reject(error.cause))).rejects.toThrow('socket hang up');
    expect(release()).toBeUndefined();
    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 0);
  });

  it('sends a batch again while DynamoDB refuses it for throughput, and releases', async () => {
    const throttled = Object.assign(new Error('slow down'), {
      name: 'ProvisionedThroughputExceededException',
      $metadata: { httpStatusCode: 400 },
    });
    dynamo.on(BatchWriteCommand).rejectsOnce(throttled).rejectsOnce(throttled).resolves({});

    await aStore().applyStep(KEY, aStep({ actions: creates(30) }), 3);

    expect(dynamo).toHaveReceivedCommandTimes(BatchWriteCommand, 4);
    expect(release()?.UpdateExpression).toContain('#status = :status');
  });

  it('sends nothing more once its lease is nearly over, and leaves the claim', async () => {
    let now = NOW;
    dynamo.on(BatchWriteCommand).callsFake(async () => {
      now += 10_000;
      return { $metadata: { attempts: 1 } };
    });
    // Its renewal is refused: the claim was taken over (the lease had run out).
    dynamo
      .on(UpdateCommand, { ConditionExpression: '#claimId = :claimId AND #claimUntil = :current' })
      .rejects(new ConditionalCheckFailedException({ message: 'refused', $metadata: {} }));

    const applying = aStore({ now: () => now }).applyStep(KEY, aStep({ actions: creates(400) }), 3);

    await expect(applying).rejects.toBeInstanceOf(ClaimLeaseEndedError);
    // Eight batches in flight at once, then the lease check stops every worker.
    expect(dynamo.commandCalls(BatchWriteCommand).length).toBeLessThan(400 / 25);
    expect(release()).toBeUndefined();
  });

  it('renews its lease while it holds, for a step longer than half a lease, then releases', async () => {
    let now = NOW;
    dynamo.on(BatchWriteCommand).callsFake(async () => {
      now += 2_000;
      return {};
    });

    await aStore({ now: () => now }).applyStep(KEY, aStep({ actions: creates(1_000) }), 3);

    const renewals = stateUpdates().filter((input) => input.UpdateExpression === 'SET #claimUntil = :until');
    // 40 batches, eight at a time, each taking 2 s: 80 s of writes, a renewal once 15 s of the lease are left.
    expect(renewals.length).toBeGreaterThanOrEqual(4);
    const [claim] = stateUpdates();
    let until = claim?.ExpressionAttributeValues?.[':claimUntil'];
    for (const renewal of renewals) {
      expect(renewal).toMatchObject({
        ConditionExpression: '#claimId = :claimId AND #claimUntil = :current',
        ExpressionAttributeValues: { ':claimId': claim?.ExpressionAttributeValues?.[':claimId'], ':current': until },
      });
      expect(renewal.ExpressionAttributeValues?.[':current']).toBeGreaterThan(
        (renewal.ExpressionAttributeValues?.[':until'] as number) - CLAIM_LEASE_MS,
      );
      until = renewal.ExpressionAttributeValues?.[':until'];
    }
    expect(dynamo).toHaveReceivedCommandTimes(BatchWriteCommand, 40);
    expect(release()?.UpdateExpression).toContain('#status = :status');
  });

  it('reports a conflict, writing nothing, when the claim is refused', async () => {
    dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'refused', $metadata: {} }));

    await expect(aStore().applyStep(KEY, aStep({ actions: creates(30) }), 3)).rejects.toBeInstanceOf(
      VersionConflictError,
    );

    expect(dynamo).toHaveReceivedCommandTimes(BatchWriteCommand, 0);
  });

  it('keeps small steps, and steps that rewrite the spec, in transactions', async () => {
    const template = aLiveRecord(3).daemonSet.template;

    await aStore().applyStep(KEY, aStep({ actions: creates(7) }), 3);
    await aStore().applyStep(KEY, aStep({ actions: creates(30), revertTemplate: { template, toRevision: 1 } }), 3);

    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
    expect(dynamo).toHaveReceivedCommandTimes(BatchWriteCommand, 0);
  });
});
