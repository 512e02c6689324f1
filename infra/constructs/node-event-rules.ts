import { Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** EC2 Auto Scaling events that mean a node joins or leaves. */
export const AUTO_SCALING_DETAIL_TYPES = [
  'EC2 Instance Launch Successful',
  'EC2 Instance Terminate Successful',
  'EC2 Instance-launch Lifecycle Action',
  'EC2 Instance-terminate Lifecycle Action',
] as const;

/** EC2 instance states that mean a node is there or going away; pending, stopping and stopped are not sent. */
export const INSTANCE_STATES = ['running', 'shutting-down', 'terminated'] as const;

export interface NodeEventRulesProps {
  /** Receives every matched event as the message body, unchanged. */
  readonly queue: IQueue;
  /** Receives events EventBridge could not deliver to `queue` after its retries. */
  readonly deadLetterQueue: IQueue;
  /**
   * Only these Auto Scaling groups' events are sent.
   * @default - every Auto Scaling group in the account and region
   */
  readonly autoScalingGroupNames?: readonly string[];
  /**
   * Whether EC2 instance state changes are sent too. They cover instances outside Auto Scaling, but
   * carry no group name, so `autoScalingGroupNames` cannot narrow them.
   * @default true
   */
  readonly instanceStateChanges?: boolean;
}

/**
 * EventBridge rules that turn EC2 Auto Scaling and EC2 state-change events into node facts on the
 * ingest queue. The queue policy lets events.amazonaws.com send only on behalf of these rules.
 */
export class NodeEventRules extends Construct {
  readonly autoScalingRule: Rule;
  /** Absent when `instanceStateChanges` is false. */
  readonly instanceStateRule: Rule | undefined;

  constructor(scope: Construct, id: string, props: NodeEventRulesProps) {
    super(scope, id);
    const groups = props.autoScalingGroupNames;
    if (groups !== undefined) validateGroupNames(groups);
    const target = new SqsQueue(props.queue, { deadLetterQueue: props.deadLetterQueue });

    this.autoScalingRule = new Rule(this, 'AutoScaling', {
      description: 'EC2 Auto Scaling launches and terminations, to the everynode ingest queue',
      eventPattern: {
        source: ['aws.autoscaling'],
        detailType: [...AUTO_SCALING_DETAIL_TYPES],
        ...(groups === undefined ? {} : { detail: { AutoScalingGroupName: [...groups] } }),
      },
      targets: [target],
    });
    this.instanceStateRule =
      props.instanceStateChanges === false
        ? undefined
        : new Rule(this, 'InstanceState', {
            description: 'EC2 instances running or going away, to the everynode ingest queue',
            eventPattern: {
              source: ['aws.ec2'],
              detailType: ['EC2 Instance State-change Notification'],
              detail: { state: [...INSTANCE_STATES] },
            },
            targets: [target],
          });
  }
}

function validateGroupNames(names: readonly string[]): void {
  if (names.length === 0) {
    throw new Error('autoScalingGroupNames is empty: omit it to follow every group, or name at least one');
  }
  for (const name of names) {
    if (name.trim() === '' || name.length > 255) throw new Error(`invalid Auto Scaling group name "${name}"`);
  }
  if (new Set(names).size !== names.length)
    throw new Error(`autoScalingGroupNames repeats a name: ${names.join(', ')}`);
}
