import { Duration } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { wholeMinutesRate } from './whole-minutes-rate.js';

export interface NodeLivenessScheduleProps {
  /** The node lifecycle controller: marks nodes whose agents stopped sending heartbeats NotReady. */
  readonly handler: IFunction;
  /**
   * Time between two checks. A silent node is marked within its grace period plus this.
   * @default Duration.minutes(1) (EventBridge's shortest rate)
   */
  readonly interval?: Duration;
}

/** Runs the node lifecycle controller on a schedule, as kube-controller-manager's node monitor period does. */
export class NodeLivenessSchedule extends Construct {
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: NodeLivenessScheduleProps) {
    super(scope, id);
    const interval = props.interval ?? Duration.minutes(1);
    this.rule = new Rule(this, 'Rule', {
      description: 'Marks nodes whose agents stopped sending heartbeats NotReady, and Ready again when they resume',
      schedule: wholeMinutesRate(interval, 'node liveness interval'),
      // A check that cannot run before the next one is due is superseded by it (each reads the heartbeats afresh).
      targets: [new LambdaFunction(props.handler, { retryAttempts: 2, maxEventAge: Duration.seconds(60) })],
    });
  }
}
