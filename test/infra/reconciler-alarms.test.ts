import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { ReconcilerAlarms } from '../../infra/constructs/reconciler-alarms.js';
import { buildStack, logicalIdOf, propertiesOf, resourcesOf } from './build-stack.js';

type Statement = Readonly<{ Effect: string; Principal?: unknown; Action: unknown; Condition?: unknown }>;

/** The confused-deputy guard on every CloudWatch grant: this account's alarms in this region only. */
const OWN_ALARMS = {
  StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
  ArnLike: {
    'aws:SourceArn': {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':cloudwatch:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':alarm:*',
        ],
      ],
    },
  },
};

type Dimension = Readonly<{ Name: string; Value: { 'Fn::GetAtt'?: [string, string]; Ref?: string } }>;

describe('the alarms', () => {
  const { template } = buildStack({ alarmEmail: 'oncall@example.com' });
  const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties);
  const topicId = logicalIdOf(template, 'AWS::SNS::Topic', 'AlarmsTopic');
  const alarmOn = (metricName: string, dimension: string, resourceId: string) =>
    alarms.filter(
      (alarm) =>
        alarm['MetricName'] === metricName &&
        (alarm['Dimensions'] as Dimension[]).some(
          (candidate) =>
            candidate.Name === dimension &&
            (candidate.Value['Fn::GetAtt']?.[0] === resourceId || candidate.Value.Ref === resourceId),
        ),
    );

  it.each(['IngestDeadLetter', 'ReconcileDeadLetter'])('fires as soon as a message is parked in %s', (prefix) => {
    const queueId = logicalIdOf(template, 'AWS::SQS::Queue', prefix);

    expect(alarmOn('ApproximateNumberOfMessagesVisible', 'QueueName', queueId)).toEqual([
      expect.objectContaining({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', Statistic: 'Maximum' }),
    ]);
  });

  it.each([
    ['IngestQueue', 600],
    ['ReconcileQueue', 1800],
  ])('fires when the oldest message in %s is older than %i seconds', (prefix, seconds) => {
    const queueId = logicalIdOf(template, 'AWS::SQS::Queue', prefix);

    expect(alarmOn('ApproximateAgeOfOldestMessage', 'QueueName', queueId)).toEqual([
      expect.objectContaining({ Threshold: seconds, ComparisonOperator: 'GreaterThanThreshold' }),
    ]);
  });

  it.each(['IngestFunction', 'ReconcileFunction', 'ApiFunction', 'ResyncFunction', 'NodeLivenessFunction'])(
    'fires on any error or throttle of %s',
    (prefix) => {
      const functionId = logicalIdOf(template, 'AWS::Lambda::Function', prefix);

      for (const metricName of ['Errors', 'Throttles']) {
        expect(alarmOn(metricName, 'FunctionName', functionId)).toEqual([
          expect.objectContaining({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' }),
        ]);
      }
    },
  );

  it('notifies the alarm topic on alarm and on recovery', () => {
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect(alarm['AlarmActions']).toEqual([{ Ref: topicId }]);
      expect(alarm['OKActions']).toEqual([{ Ref: topicId }]);
    }
  });

  it('encrypts the topic with a rotating key CloudWatch may use, and refuses plain HTTP', () => {
    const keyId = logicalIdOf(template, 'AWS::KMS::Key', 'AlarmsTopicKey');
    const key = propertiesOf(template, 'AWS::KMS::Key', 'AlarmsTopicKey');
    const topic = propertiesOf(template, 'AWS::SNS::Topic', 'AlarmsTopic');
    const topicPolicy = propertiesOf(template, 'AWS::SNS::TopicPolicy', 'AlarmsTopic');

    expect(topic['KmsMasterKeyId']).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(key['EnableKeyRotation']).toBe(true);
    expect((key['KeyPolicy'] as { Statement: unknown[] }).Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      }),
    );
    expect((topicPolicy['PolicyDocument'] as { Statement: unknown[] }).Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('lets CloudWatch alarms of this account and region, and nothing else, publish to the topic', () => {
    const topicPolicy = propertiesOf(template, 'AWS::SNS::TopicPolicy', 'AlarmsTopic');
    const statements = (topicPolicy['PolicyDocument'] as { Statement: Statement[] }).Statement;

    const allows = statements.filter((statement) => statement.Effect === 'Allow');

    expect(topicPolicy['Topics']).toEqual([{ Ref: topicId }]);
    expect(allows).toEqual([
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: topicId },
        Condition: OWN_ALARMS,
      }),
    ]);
  });

  it('lets CloudWatch use the topic key only for alarms of this account and region', () => {
    const key = propertiesOf(template, 'AWS::KMS::Key', 'AlarmsTopicKey');
    const statements = (key['KeyPolicy'] as { Statement: Statement[] }).Statement;

    const forCloudWatch = statements.filter(
      (statement) => JSON.stringify(statement.Principal) === JSON.stringify({ Service: 'cloudwatch.amazonaws.com' }),
    );

    expect(forCloudWatch).toEqual([expect.objectContaining({ Effect: 'Allow', Condition: OWN_ALARMS })]);
  });

  it('subscribes the configured address', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
      TopicArn: { Ref: topicId },
    });
  });

  it('refuses an address that is not one', () => {
    const stack = new Stack(new App(), 'Test');

    expect(() => new ReconcilerAlarms(stack, 'Alarms', { queues: [], functions: [], email: 'oncall' })).toThrow(
      /not an email address/,
    );
  });

  it('has a dashboard', () => {
    expect(Object.keys(resourcesOf(template, 'AWS::CloudWatch::Dashboard'))).toEqual([
      expect.stringMatching(/^Dashboard/),
    ]);
  });
});
