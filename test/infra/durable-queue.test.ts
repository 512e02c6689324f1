import { App, Duration, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { DurableQueue } from '../../infra/constructs/durable-queue.js';
import { HandlerFunction } from '../../infra/constructs/handler-function.js';
import { buildStack, resourcesOf } from './build-stack.js';

type Ref = Readonly<{ Ref?: string; 'Fn::GetAtt'?: readonly [string, string] }>;

describe('the queues', () => {
  const { template } = buildStack();
  const queues = resourcesOf(template, 'AWS::SQS::Queue');
  const deadLetterIds = new Set(
    Object.values(queues).flatMap((queue) => {
      const redrive = queue.Properties['RedrivePolicy'] as { deadLetterTargetArn: Ref } | undefined;
      return redrive === undefined ? [] : [redrive.deadLetterTargetArn['Fn::GetAtt']?.[0]];
    }),
  );
  const workIds = Object.keys(queues).filter((id) => !deadLetterIds.has(id));

  it('gives every work queue a dead-letter queue with a redrive limit', () => {
    expect(workIds).toHaveLength(2);
    for (const id of workIds) {
      expect(queues[id]?.Properties['RedrivePolicy']).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
        maxReceiveCount: expect.any(Number),
      });
    }
  });

  it('keeps parked messages for the 14 days SQS allows', () => {
    for (const id of deadLetterIds) {
      expect(queues[id as string]?.Properties['MessageRetentionPeriod']).toBe(Duration.days(14).toSeconds());
    }
  });

  it('encrypts every queue with SQS-managed keys', () => {
    for (const queue of Object.values(queues)) expect(queue.Properties['SqsManagedSseEnabled']).toBe(true);
  });

  it('denies every queue action over plain HTTP', () => {
    const policies = Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy'));

    for (const id of Object.keys(queues)) {
      const statements = policies
        .filter((policy) => (policy.Properties['Queues'] as Ref[]).some((queue) => queue.Ref === id))
        .flatMap((policy) => (policy.Properties['PolicyDocument'] as { Statement: unknown[] }).Statement);
      expect(statements, id).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'sqs:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('sizes each visibility timeout at six times its consumer function timeout', () => {
    const functions = resourcesOf(template, 'AWS::Lambda::Function');
    const mappings = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping'));

    expect(mappings).toHaveLength(2);
    for (const mapping of mappings) {
      const queueId = (mapping.Properties['EventSourceArn'] as Ref)['Fn::GetAtt']?.[0] ?? '';
      const functionId = (mapping.Properties['FunctionName'] as Ref).Ref ?? '';
      const timeout = functions[functionId]?.Properties['Timeout'] as number;
      expect(queues[queueId]?.Properties['VisibilityTimeout']).toBe(6 * timeout);
    }
  });
});

describe('DurableQueue', () => {
  it('refuses a consumer that runs longer than the queue was sized for', () => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');
    const queue = new DurableQueue(stack, 'Queue', { consumerTimeout: Duration.seconds(10) });
    const consumer = new HandlerFunction(stack, 'Consumer', {
      entry: new URL('../../functions/ingest.ts', import.meta.url).pathname,
      projectRoot: new URL('../..', import.meta.url).pathname,
      description: 'test',
      environment: {},
      timeout: Duration.seconds(30),
    });

    expect(() => consumer.consume(queue, { maxConcurrency: 2 })).toThrow(/visibility timeout/);
  });

  it('refuses a visibility timeout beyond 12 hours', () => {
    const stack = new Stack(new App(), 'Test');

    expect(() => new DurableQueue(stack, 'Queue', { consumerTimeout: Duration.hours(3) })).toThrow(/12 hours/);
  });

  it('refuses a redrive limit outside 1 to 1000', () => {
    const stack = new Stack(new App(), 'Test');

    expect(
      () => new DurableQueue(stack, 'Queue', { consumerTimeout: Duration.seconds(30), maxReceiveCount: 0 }),
    ).toThrow(/maxReceiveCount/);
  });
});
