import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildStack, everynodeFunctionsOf, logicalIdOf, SYNTH_TIMEOUT } from './build-stack.js';

type NagReport = ReturnType<AwsSolutionsChecks['validateScope']>;

// Synthesizing the stack and running cdk-nag take seconds on a quiet machine and far longer on a loaded CI
// runner, so all of it happens once, in the hooks; the tests only read the results.
describe('the reconciler stack', () => {
  let defaults: NagReport;
  let everyProp: NagReport;
  let withFinding: NagReport;
  let template: Template;
  let debugTemplate: Template;
  beforeAll(() => {
    const { stack } = buildStack();
    template = buildStack().template;
    defaults = new AwsSolutionsChecks().validateScope(stack);
    everyProp = new AwsSolutionsChecks().validateScope(
      buildStack({
        autoScalingGroupNames: ['workers'],
        instanceStateChanges: false,
        resyncInterval: Duration.minutes(10),
        tableRemovalPolicy: RemovalPolicy.DESTROY,
        reserveConcurrency: false,
        alarmEmail: 'oncall@example.com',
        logLevel: 'DEBUG',
        nodeLivenessInterval: Duration.minutes(2),
        nodeGracePeriod: Duration.seconds(90),
        pushChannel: false,
      }).stack,
    );
    const plain = buildStack({}, { fresh: true }).stack;
    new Queue(plain, 'Plain', { enforceSSL: false });
    withFinding = new AwsSolutionsChecks().validateScope(plain);
    debugTemplate = buildStack({ logLevel: 'DEBUG' }).template;
  }, SYNTH_TIMEOUT);

  it('passes the AwsSolutions checks with default props', () => {
    expect(defaults.violations).toEqual([]);
    expect(defaults.success).toBe(true);
  });

  it('passes the AwsSolutions checks with every prop set', () => {
    expect(everyProp.violations).toEqual([]);
  });

  it('has checks that do catch findings', () => {
    const rules = withFinding.violations.map((violation) => violation.ruleName);

    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']));
  });

  it('outputs what the CLI and operators need', () => {
    const outputs = template.toJSON()['Outputs'] as Record<string, { Value: unknown }>;

    expect(outputs['ApiUrl']?.Value).toEqual({
      'Fn::Join': [
        '',
        expect.arrayContaining(['https://', { Ref: logicalIdOf(template, 'AWS::ApiGatewayV2::Api', 'Api') }]),
      ],
    });
    expect(outputs['IngestQueueUrl']?.Value).toEqual({ Ref: logicalIdOf(template, 'AWS::SQS::Queue', 'IngestQueue') });
    expect(outputs['ReconcileQueueUrl']?.Value).toEqual({
      Ref: logicalIdOf(template, 'AWS::SQS::Queue', 'ReconcileQueue'),
    });
    expect(outputs['TableName']?.Value).toEqual({ Ref: logicalIdOf(template, 'AWS::DynamoDB::Table', 'Cluster') });
    expect(outputs['Region']?.Value).toEqual({ Ref: 'AWS::Region' });
    expect(outputs['IngestDeadLetterQueueArn']?.Value).toEqual({
      'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'IngestDeadLetter'), 'Arn'],
    });
    expect(outputs['ReconcileDeadLetterQueueArn']?.Value).toEqual({
      'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'ReconcileDeadLetter'), 'Arn'],
    });
    expect(outputs['IotEndpoint']?.Value).toEqual({
      'Fn::GetAtt': [logicalIdOf(template, 'Custom::IotDataEndpoint', 'PushChannel'), 'endpointAddress'],
    });
    expect(outputs['AgentNodePolicyArn']?.Value).toEqual({
      Ref: logicalIdOf(template, 'AWS::IAM::ManagedPolicy', 'AgentNode'),
    });
  });

  it('sets the log level of every function from its prop', () => {
    const levels = Object.values(everynodeFunctionsOf(debugTemplate)).map(
      (fn) => (fn.Properties['Environment'] as { Variables: Record<string, string> }).Variables['POWERTOOLS_LOG_LEVEL'],
    );

    expect(levels).toEqual(['DEBUG', 'DEBUG', 'DEBUG', 'DEBUG', 'DEBUG']);
  });
});
