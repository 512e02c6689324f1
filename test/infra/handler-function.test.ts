import { App, Duration, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DurableQueue } from '../../infra/constructs/durable-queue.js';
import { HandlerFunction } from '../../infra/constructs/handler-function.js';
import { FUNCTION_ENVIRONMENT } from '../../infra/function-environment.js';
import { buildStack, logicalIdOf, resourcesOf, SYNTH_TIMEOUT } from './build-stack.js';

const FUNCTIONS = ['Ingest', 'Reconcile', 'Api', 'Resync', 'NodeLiveness'] as const;

describe('the functions', () => {
  const { template } = buildStack();
  let unreserved: Template;
  beforeAll(() => {
    unreserved = buildStack({ reserveConcurrency: false }).template;
  }, SYNTH_TIMEOUT);
  const functions = resourcesOf(template, 'AWS::Lambda::Function');
  const functionOf = (name: (typeof FUNCTIONS)[number]) =>
    functions[logicalIdOf(template, 'AWS::Lambda::Function', `${name}Function`)]?.Properties ?? {};

  it.each(FUNCTIONS)('runs %s on the newest Node.js runtime, on arm64', (name) => {
    expect(functionOf(name)).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
    });
  });

  it.each(FUNCTIONS)('gives %s every configuration variable and Powertools settings', (name) => {
    const variables = (functionOf(name)['Environment'] as { Variables: Record<string, unknown> }).Variables;
    // The IoT endpoint is optional and goes only to the functions that write pods (node-push-channel.test.ts).
    const everyFunctionReads = Object.values(FUNCTION_ENVIRONMENT).filter(
      (variable) => variable !== FUNCTION_ENVIRONMENT.iotEndpoint,
    );

    expect(Object.keys(variables)).toEqual(expect.arrayContaining(everyFunctionReads));
    expect(variables[FUNCTION_ENVIRONMENT.serviceName]).toBe(
      `everynode-${name.replace(/(?<=.)([A-Z])/g, '-$1').toLowerCase()}`,
    );
    expect(variables[FUNCTION_ENVIRONMENT.metricsNamespace]).toBe('everynode');
    expect(variables[FUNCTION_ENVIRONMENT.logLevel]).toBe('INFO');
  });

  it('tells every function how late a write can land: the longest function timeout plus a minute', () => {
    const longest = Math.max(...FUNCTIONS.map((name) => functionOf(name)['Timeout'] as number));

    for (const name of FUNCTIONS) {
      const variables = (functionOf(name)['Environment'] as { Variables: Record<string, unknown> }).Variables;
      expect(variables[FUNCTION_ENVIRONMENT.writeLagMs]).toBe(String((longest + 60) * 1000));
    }
  });

  it.each(FUNCTIONS)('logs %s to its own log group with a retention period', (name) => {
    const logGroupId = (functionOf(name)['LoggingConfig'] as { LogGroup: { Ref: string } }).LogGroup.Ref;

    expect(resourcesOf(template, 'AWS::Logs::LogGroup')[logGroupId]?.Properties['RetentionInDays']).toBe(30);
  });

  it('attaches no managed policy to any function role', () => {
    for (const role of Object.values(resourcesOf(template, 'AWS::IAM::Role'))) {
      expect(role.Properties['ManagedPolicyArns']).toBeUndefined();
    }
  });

  it('reports item failures and caps the concurrency of both queue consumers', () => {
    const mappings = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping'));

    expect(mappings.map((mapping) => mapping.Properties)).toEqual([
      expect.objectContaining({
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: expect.any(Number) },
      }),
      expect.objectContaining({
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: expect.any(Number) },
      }),
    ]);
  });

  it('reserves each consumer its maximum concurrency, and the resync and the node liveness check one execution', () => {
    const reserved = (name: (typeof FUNCTIONS)[number]) => functionOf(name)['ReservedConcurrentExecutions'];
    const maximumOf = (name: (typeof FUNCTIONS)[number]) => {
      const functionId = logicalIdOf(template, 'AWS::Lambda::Function', `${name}Function`);
      const mapping = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping')).find(
        (candidate) => (candidate.Properties['FunctionName'] as { Ref: string }).Ref === functionId,
      );
      if (mapping === undefined) throw new Error(`${name} consumes no queue`);
      return (mapping.Properties['ScalingConfig'] as { MaximumConcurrency: number }).MaximumConcurrency;
    };

    expect(reserved('Ingest')).toBe(maximumOf('Ingest'));
    expect(reserved('Reconcile')).toBe(maximumOf('Reconcile'));
    expect(reserved('Resync')).toBe(1);
    expect(reserved('NodeLiveness')).toBe(1);
    expect(reserved('Api')).toBeUndefined();
  });

  it('reserves nothing when reserveConcurrency is off', () => {
    for (const fn of Object.values(resourcesOf(unreserved, 'AWS::Lambda::Function'))) {
      expect(fn.Properties['ReservedConcurrentExecutions']).toBeUndefined();
    }
  });
});

describe('HandlerFunction', () => {
  const newFunction = (reservedConcurrentExecutions?: number) => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');
    const queue = new DurableQueue(stack, 'Queue', { consumerTimeout: Duration.seconds(30) });
    const handler = new HandlerFunction(stack, 'Consumer', {
      entry: new URL('../../functions/ingest.ts', import.meta.url).pathname,
      projectRoot: new URL('../..', import.meta.url).pathname,
      description: 'test',
      environment: {},
      ...(reservedConcurrentExecutions === undefined ? {} : { reservedConcurrentExecutions }),
    });
    return { queue, handler };
  };

  it('refuses reserved concurrency below the queue maximum concurrency', () => {
    const { queue, handler } = newFunction(2);

    expect(() => handler.consume(queue, { maxConcurrency: 5 })).toThrow(/below the queue's maxConcurrency/);
  });

  it('refuses a maximum concurrency SQS event sources do not accept', () => {
    const { queue, handler } = newFunction();

    expect(() => handler.consume(queue, { maxConcurrency: 1 })).toThrow(/from 2 to 1000/);
  });

  it('refuses a reserved concurrency below one', () => {
    expect(() => newFunction(0)).toThrow(/positive integer/);
  });
});
