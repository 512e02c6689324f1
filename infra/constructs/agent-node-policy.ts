import { Aws, Validations } from 'aws-cdk-lib';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** The principal tag naming an agent's node, for principals that are not an EC2 instance's role (docs/deploy.md). */
export const NODE_TAG = 'everynode-node';

export interface AgentNodePolicyProps {
  /** The cluster API's id; the agent calls its own node's routes on its `$default` stage. */
  readonly apiId: string;
  /** Allow the MQTT push channel (connect, subscribe to and receive its own node's topic). */
  readonly pushChannel: boolean;
}

/**
 * A managed policy for the role of the hosts node agents run on, each agent limited to its own node. The node is
 * named by the principal: an EC2 instance's role credentials carry the instance's ARN (`ec2:SourceInstanceARN`),
 * and nodes learned from EC2 events are named after the instance id; any other principal carries the
 * `everynode-node` tag. The agent's MQTT client id is its node name, which `iot:Connect` checks against the
 * principal, so `${iot:ClientId}` in the topic statements is the principal's own node.
 */
export class AgentNodePolicy extends Construct {
  readonly policy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: AgentNodePolicyProps) {
    super(scope, id);
    const iot = (resource: string) => `arn:${Aws.PARTITION}:iot:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
    const route = (method: string, path: string) =>
      `arn:${Aws.PARTITION}:execute-api:${Aws.REGION}:${Aws.ACCOUNT_ID}:${props.apiId}/$default/${method}${path}`;
    const node = `\${aws:PrincipalTag/${NODE_TAG}}`;
    // IAM policy variables, resolved by IoT Core when it authorises each MQTT action.
    const clientId = `\${iot:ClientId}`;
    const statements = [
      new PolicyStatement({
        sid: 'OwnNodeApiRoutes',
        actions: ['execute-api:Invoke'],
        resources: [
          route('GET', `/v1/nodes/${node}`),
          route('PUT', `/v1/nodes/${node}`),
          route('PUT', `/v1/nodes/${node}/heartbeat`),
          route('GET', `/v1/nodes/${node}/pods`),
          route('POST', `/v1/nodes/${node}/pods/status`),
        ],
      }),
    ];
    if (props.pushChannel) {
      statements.push(
        new PolicyStatement({
          sid: 'ConnectAsOwnInstance',
          actions: ['iot:Connect'],
          resources: [iot('client/*')],
          // The client id must be the id of the instance whose role signed the connection: a client id such as
          // `+` or another node's name matches no instance ARN, so the topic statements below cannot be widened.
          conditions: {
            ArnLike: {
              'ec2:SourceInstanceARN': `arn:${Aws.PARTITION}:ec2:*:${Aws.ACCOUNT_ID}:instance/${clientId}`,
            },
          },
        }),
        new PolicyStatement({
          sid: 'ConnectAsTaggedNode',
          actions: ['iot:Connect'],
          resources: [iot(`client/${node}`)],
        }),
        new PolicyStatement({
          sid: 'SubscribeToOwnNode',
          actions: ['iot:Subscribe'],
          resources: [iot(`topicfilter/everynode/nodes/${clientId}/changed`)],
        }),
        new PolicyStatement({
          sid: 'ReceiveOwnNode',
          actions: ['iot:Receive'],
          resources: [iot(`topic/everynode/nodes/${clientId}/changed`)],
        }),
      );
    }
    this.policy = new ManagedPolicy(this, 'Policy', {
      description: 'everynode node agent: its own node through the API and, with the push channel, over MQTT',
      statements,
    });
    if (props.pushChannel) {
      Validations.of(this.policy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:client/*]',
        reason:
          "iot:Connect is allowed on any client id only under the condition that the id is the connecting instance's own id (ec2:SourceInstanceARN); the instance id is not known when the policy is written.",
      });
    }
  }
}
