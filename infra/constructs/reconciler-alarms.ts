import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { DurableQueue } from './durable-queue.js';

export type WatchedQueue = Readonly<{
  /** Short name used in alarm descriptions ("ingest"). */
  name: string;
  queue: DurableQueue;
  /** Oldest-message age beyond which work is falling behind. */
  maxAge: Duration;
}>;

export type WatchedFunction = Readonly<{ name: string; lambda: IFunction }>;

export interface ReconcilerAlarmsProps {
  readonly queues: readonly WatchedQueue[];
  readonly functions: readonly WatchedFunction[];
  /**
   * Address subscribed to the alarm topic (it must confirm the subscription).
   * @default - no subscription: subscribe to `topic` yourself
   */
  readonly email?: string;
}

/**
 * Alarms on what needs a human: parked messages, queues falling behind, function errors and throttles.
 * Each notifies an SNS topic encrypted with its own key, since CloudWatch cannot publish to a topic
 * under the AWS-managed SNS key.
 */
export class ReconcilerAlarms extends Construct {
  readonly topic: Topic;
  readonly topicKey: Key;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: ReconcilerAlarmsProps) {
    super(scope, id);
    if (props.email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(props.email)) {
      throw new Error(`"${props.email}" is not an email address`);
    }
    this.topicKey = new Key(this, 'TopicKey', {
      description: 'Encrypts the everynode alarm topic',
      enableKeyRotation: true,
    });
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    const fromOwnAlarms = ownAlarmsCondition(Stack.of(this));
    // A key policy names no resource but the key itself ('*' there means "this key").
    this.topicKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowOwnCloudWatchAlarms',
        principals: [cloudWatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: fromOwnAlarms,
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      masterKey: this.topicKey,
      enforceSSL: true,
      displayName: 'everynode alarms',
    });
    // The topic's policy replaces SNS's default one, so CloudWatch needs its own Allow to publish.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowOwnCloudWatchAlarms',
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromOwnAlarms,
      }),
    );
    if (props.email !== undefined) this.topic.addSubscription(new EmailSubscription(props.email));

    for (const { name, queue, maxAge } of props.queues) {
      this.#add(`${capitalize(name)}Parked`, {
        description: `Messages are parked in the ${name} dead-letter queue: inspect them, then redrive`,
        metric: queue.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          statistic: 'Maximum',
          period: Duration.minutes(1),
        }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
      this.#add(`${capitalize(name)}Behind`, {
        description: `The oldest ${name} message is over ${maxAge.toHumanString()} old: the consumer is falling behind`,
        metric: queue.queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: Duration.minutes(5) }),
        threshold: maxAge.toSeconds(),
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 2,
      });
    }
    for (const { name, lambda } of props.functions) {
      this.#add(`${capitalize(name)}Errors`, {
        description: `The ${name} function failed an invocation (record failures are reported, not thrown)`,
        metric: lambda.metricErrors({ statistic: 'Sum', period: Duration.minutes(5) }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
      this.#add(`${capitalize(name)}Throttles`, {
        description: `The ${name} function was throttled: raise its concurrency or the account limit`,
        metric: lambda.metricThrottles({ statistic: 'Sum', period: Duration.minutes(5) }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
    }
  }

  #add(
    id: string,
    spec: Readonly<{
      description: string;
      metric: IMetric;
      threshold: number;
      comparisonOperator: ComparisonOperator;
      evaluationPeriods: number;
    }>,
  ): void {
    const alarm = new Alarm(this, id, {
      alarmDescription: spec.description,
      metric: spec.metric,
      threshold: spec.threshold,
      comparisonOperator: spec.comparisonOperator,
      evaluationPeriods: spec.evaluationPeriods,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
  }
}

/**
 * Only alarms of this account and region may use the topic and its key (the confused-deputy guard AWS
 * recommends for service principals). The alarms' own ARNs cannot be named: the key's policy would then
 * depend on the alarms, which depend on the topic, which depends on the key.
 */
function ownAlarmsCondition(stack: Stack): Record<string, Record<string, string>> {
  return {
    StringEquals: { 'aws:SourceAccount': stack.account },
    ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*` },
  };
}

const capitalize = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);
