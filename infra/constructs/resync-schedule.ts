import { Duration } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { wholeMinutesRate } from './whole-minutes-rate.js';

export interface ResyncScheduleProps {
  /** The function that enqueues every DaemonSet for a fresh reconcile. */
  readonly handler: IFunction;
  /**
   * Time between two resyncs: the longest a lost message can leave a DaemonSet unreconciled.
   * @default Duration.minutes(5)
   */
  readonly interval?: Duration;
}

/** A periodic safety net: lost or parked messages never leave a DaemonSet stale for long. */
export class ResyncSchedule extends Construct {
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: ResyncScheduleProps) {
    super(scope, id);
    const interval = props.interval ?? Duration.minutes(5);
    this.rule = new Rule(this, 'Rule', {
      description: 'Enqueues every DaemonSet for reconcile',
      schedule: wholeMinutesRate(interval, 'resync interval'),
      // A resync that cannot run before the next one is due is superseded by it.
      targets: [
        new LambdaFunction(props.handler, {
          retryAttempts: 2,
          maxEventAge: Duration.seconds(Math.max(60, interval.toSeconds())),
        }),
      ],
    });
  }
}
