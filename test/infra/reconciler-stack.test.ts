import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { buildStack, logicalIdOf } from './build-stack.js';

// The first test builds the whole stack and loads cdk-nag: seconds on a quiet machine, far more on a loaded CI runner.
describe('the reconciler stack', { timeout: 120_000 }, () => {
  it('passes the AwsSolutions checks with default props', () => {
    const { stack } = buildStack();

    const report = new AwsSolutionsChecks().validateScope(stack);

    expect(report.violations).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('passes the AwsSolutions checks with every prop set', () => {
    const { stack } = buildStack({
      autoScalingGroupNames: ['workers'],
      instanceStateChanges: false,
      resyncInterval: Duration.minutes(10),
      tableRemovalPolicy: RemovalPolicy.DESTROY,
      reserveConcurrency: false,
      alarmEmail: 'oncall@example.com',
      logLevel: 'DEBUG',
    });

    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
  });

  it('has checks that do catch findings', () => {
    const { stack } = buildStack();
    new Queue(stack, 'Plain', { enforceSSL: false });

    const rules = new AwsSolutionsChecks().validateScope(stack).violations.map((violation) => violation.ruleName);

    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']));
  });

  it('outputs what the CLI and operators need', () => {
    const { template } = buildStack();

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
  });

  it('sets the log level of every function from its prop', () => {
    const { template } = buildStack({ logLevel: 'DEBUG' });

    template.allResourcesProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ POWERTOOLS_LOG_LEVEL: 'DEBUG' }) },
    });
  });
});
