import { Aws, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Grant, type IGrantable, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnTopicRule } from 'aws-cdk-lib/aws-iot';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  AwsCustomResource,
  AwsCustomResourcePolicy,
  type AwsSdkCall,
  PhysicalResourceId,
} from 'aws-cdk-lib/custom-resources';
import { Construct, type IConstruct } from 'constructs';
import type { DurableQueue } from './durable-queue.js';

/** The topics the control plane publishes node change notices on (lib/ports/node-change-notifier.ts). */
export const NODE_CHANGE_TOPICS = 'everynode/nodes/*/changed';

/**
 * AWS IoT Core's lifecycle events: a client connected or disconnected (`$aws/events/presence/<event>/<clientId>`).
 * A refused connection (`connect_failed`) says nothing of a node's liveness and is not sent.
 */
export const PRESENCE_RULE_SQL =
  "SELECT * FROM '$aws/events/presence/+/+' WHERE eventType = 'connected' OR eventType = 'disconnected'";

export interface NodePushChannelProps {
  /** Receives every presence event as the message body, unchanged; its dead-letter queue what IoT could not send. */
  readonly ingestQueue: DurableQueue;
}

/**
 * The AWS side of the push channel to node agents (docs/decisions/0007-node-agent-reaction-and-cost.md): the
 * account's IoT Core data endpoint, looked up at deploy time (agents connect to it, the functions that write pods
 * publish to it), and a topic rule that sends the broker's presence events (an agent connected or went silent) to
 * the ingest queue. IoT Core itself needs no resource: its broker and endpoint exist in every account and region.
 */
export class NodePushChannel extends Construct {
  /** The IoT Core data endpoint (`<prefix>-ats.iot.<region>.amazonaws.com`), a deploy-time value. */
  readonly endpointAddress: string;
  readonly presenceRule: CfnTopicRule;
  /** The role the presence rule sends with: `sqs:SendMessage` on the ingest queue and its dead-letter queue. */
  readonly presenceRuleRole: Role;

  constructor(scope: Construct, id: string, props: NodePushChannelProps) {
    super(scope, id);
    this.endpointAddress = lookUpDataEndpoint(this);

    this.presenceRuleRole = new Role(this, 'PresenceRuleRole', {
      description: 'Sends IoT Core presence events to the everynode ingest queue',
      assumedBy: new ServicePrincipal('iot.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    });
    const { queue, deadLetterQueue } = props.ingestQueue;
    // SQS-managed encryption (DurableQueue): no key to grant.
    Grant.addToPrincipal({
      grantee: this.presenceRuleRole,
      actions: ['sqs:SendMessage'],
      resourceArns: [queue.queueArn, deadLetterQueue.queueArn],
    });
    const send = (queueUrl: string) => ({
      sqs: { queueUrl, roleArn: this.presenceRuleRole.roleArn, useBase64: false },
    });
    this.presenceRule = new CfnTopicRule(this, 'PresenceRule', {
      topicRulePayload: {
        description: 'Node agents connecting to and disconnecting from IoT Core, to the everynode ingest queue',
        sql: PRESENCE_RULE_SQL,
        awsIotSqlVersion: '2016-03-23',
        ruleDisabled: false,
        actions: [send(queue.queueUrl)],
        errorAction: send(deadLetterQueue.queueUrl),
      },
    });
    // The policy must exist before the rule: IoT checks that it may assume the role and send.
    this.presenceRule.node.addDependency(this.presenceRuleRole);
  }

  /** Lets `grantee` publish node change notices, on `everynode/nodes/<node>/changed` topics only. */
  grantPublish(grantee: IGrantable & IConstruct): Grant {
    const topics = `arn:${Aws.PARTITION}:iot:${Aws.REGION}:${Aws.ACCOUNT_ID}:topic/${NODE_CHANGE_TOPICS}`;
    Validations.of(grantee).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:topic/${NODE_CHANGE_TOPICS}]`,
      reason:
        'A step may change the pods of any node, so the function publishes to any node; the wildcard is one topic level (the node name) between fixed ones, and only iot:Publish is allowed there.',
    });
    return Grant.addToPrincipal({ grantee, actions: ['iot:Publish'], resourceArns: [topics] });
  }
}

/**
 * The account's `iot:Data-ATS` endpoint, from `DescribeEndpoint` at deploy time (CloudFormation has no attribute for
 * it). The lookup's function has its own log group and a role without managed policies, like everynode's own.
 */
function lookUpDataEndpoint(scope: Construct): string {
  const logGroup = new LogGroup(scope, 'EndpointLookupLogs', {
    retention: RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const role = new Role(scope, 'EndpointLookupRole', {
    description: 'Looks up the IoT Core data endpoint for everynode',
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
  });
  logGroup.grantWrite(role);
  const call: AwsSdkCall = {
    service: '@aws-sdk/client-iot',
    action: 'DescribeEndpoint',
    parameters: { endpointType: 'iot:Data-ATS' },
    physicalResourceId: PhysicalResourceId.fromResponse('endpointAddress'),
    outputPaths: ['endpointAddress'],
  };
  const lookup = new AwsCustomResource(scope, 'EndpointLookup', {
    resourceType: 'Custom::IotDataEndpoint',
    onCreate: call,
    onUpdate: call,
    policy: AwsCustomResourcePolicy.fromStatements([
      new PolicyStatement({ actions: ['iot:DescribeEndpoint'], resources: ['*'] }),
    ]),
    role,
    logGroup,
    // The runtime's SDK has DescribeEndpoint; installing the newest one would fetch from npm during the deploy.
    installLatestAwsSdk: false,
  });
  Validations.of(lookup).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'iot:DescribeEndpoint supports no resource-level permission (the Service Authorization Reference lists no resource type for it); it is the only action allowed on *.',
  });
  return lookup.getResponseField('endpointAddress');
}
