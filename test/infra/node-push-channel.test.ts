import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { PRESENCE_RULE_SQL } from '../../infra/constructs/node-push-channel.js';
import {
  buildStack,
  everynodeFunctionsOf,
  logicalIdOf,
  propertiesOf,
  resourcesOf,
  SYNTH_TIMEOUT,
} from './build-stack.js';

type Statement = Readonly<{ Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown }>;

/** A resource ARN built with Fn::Join, flattened: pseudo parameters and references by name. */
function flat(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join !== undefined) return join[1].map(flat).join(join[0]);
  const ref = (value as { Ref?: string }).Ref;
  return ref === undefined ? JSON.stringify(value) : `<${ref}>`;
}

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

function statementsOfRole(template: Template, rolePrefix: string): Statement[] {
  const role = logicalIdOf(template, 'AWS::IAM::Role', rolePrefix);
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties['Roles'] as { Ref: string }[]).some((ref) => ref.Ref === role))
    .flatMap((policy) => (policy.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement);
}

function agentStatements(template: Template): Statement[] {
  const policy = propertiesOf(template, 'AWS::IAM::ManagedPolicy', 'AgentNode');
  return (policy['PolicyDocument'] as { Statement: Statement[] }).Statement;
}

function iotEndpointOf(template: Template): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(everynodeFunctionsOf(template)).map(([id, fn]) => [
      id.replace(/[0-9A-F]{8}$/, ''),
      (fn.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables['EVERYNODE_IOT_ENDPOINT'],
    ]),
  );
}

describe('the push channel to node agents', () => {
  let on: Template;
  let off: Template;
  beforeAll(() => {
    on = buildStack().template;
    off = buildStack({ pushChannel: false }).template;
  }, SYNTH_TIMEOUT);

  it('looks up the IoT Core data endpoint at deploy time, allowed DescribeEndpoint and nothing else', () => {
    const lookup = propertiesOf(on, 'Custom::IotDataEndpoint', 'PushChannel');

    expect(JSON.parse(String(lookup['Create']))).toMatchObject({
      action: 'DescribeEndpoint',
      parameters: { endpointType: 'iot:Data-ATS' },
    });
    expect(lookup['InstallLatestAwsSdk']).toBe(false);
    expect(
      statementsOfRole(on, 'PushChannelEndpointLookupRole').map((statement) => asList(statement.Action).join(',')),
    ).toEqual(['logs:CreateLogStream,logs:PutLogEvents', 'iot:DescribeEndpoint']);
  });

  it('hands the endpoint to the functions that write pods, and to no other', () => {
    const endpoint = { 'Fn::GetAtt': [logicalIdOf(on, 'Custom::IotDataEndpoint', 'PushChannel'), 'endpointAddress'] };

    expect(iotEndpointOf(on)).toEqual({
      IngestFunction: endpoint,
      ReconcileFunction: endpoint,
      ApiFunction: undefined,
      ResyncFunction: undefined,
      NodeLivenessFunction: undefined,
    });
  });

  it('sends every presence event, unchanged, to the ingest queue and what fails to its dead-letter queue', () => {
    const rule = propertiesOf(on, 'AWS::IoT::TopicRule', 'PushChannel')['TopicRulePayload'] as Record<string, unknown>;
    const role = { 'Fn::GetAtt': [logicalIdOf(on, 'AWS::IAM::Role', 'PushChannelPresenceRuleRole'), 'Arn'] };

    expect(rule['Sql']).toBe(PRESENCE_RULE_SQL);
    expect(PRESENCE_RULE_SQL).toBe(
      "SELECT * FROM '$aws/events/presence/+/+' WHERE eventType = 'connected' OR eventType = 'disconnected'",
    );
    expect(rule['RuleDisabled']).toBe(false);
    expect(rule['Actions']).toEqual([
      {
        Sqs: { QueueUrl: { Ref: logicalIdOf(on, 'AWS::SQS::Queue', 'IngestQueue') }, RoleArn: role, UseBase64: false },
      },
    ]);
    expect(rule['ErrorAction']).toEqual({
      Sqs: {
        QueueUrl: { Ref: logicalIdOf(on, 'AWS::SQS::Queue', 'IngestDeadLetter') },
        RoleArn: role,
        UseBase64: false,
      },
    });
  });

  it("lets the rule's role, which only IoT Core in this account assumes, send to those two queues and nothing else", () => {
    const role = propertiesOf(on, 'AWS::IAM::Role', 'PushChannelPresenceRuleRole');

    expect(role['AssumeRolePolicyDocument']).toMatchObject({
      Statement: [
        {
          Principal: { Service: 'iot.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ],
    });
    expect(role['ManagedPolicyArns']).toBeUndefined();
    expect(statementsOfRole(on, 'PushChannelPresenceRuleRole')).toEqual([
      {
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: [
          { 'Fn::GetAtt': [logicalIdOf(on, 'AWS::SQS::Queue', 'IngestDeadLetter'), 'Arn'] },
          { 'Fn::GetAtt': [logicalIdOf(on, 'AWS::SQS::Queue', 'IngestQueue'), 'Arn'] },
        ],
      },
    ]);
  });

  it("limits each agent to its own node: connect as its instance or tagged node, its own topic, its node's routes", () => {
    const statements = Object.fromEntries(
      agentStatements(on).map((statement) => [
        statement.Sid,
        {
          action: statement.Action,
          resources: asList(statement.Resource).map(flat).sort(),
          condition: statement.Condition,
        },
      ]),
    );
    const iot = 'arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>';
    const api = `arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${logicalIdOf(on, 'AWS::ApiGatewayV2::Api', 'Api')}>/$default`;
    const node = `\${aws:PrincipalTag/everynode-node}`;

    expect(statements).toEqual({
      OwnNodeApiRoutes: {
        action: 'execute-api:Invoke',
        resources: [
          `${api}/GET/v1/nodes/${node}`,
          `${api}/GET/v1/nodes/${node}/pods`,
          `${api}/POST/v1/nodes/${node}/pods/status`,
          `${api}/PUT/v1/nodes/${node}`,
          `${api}/PUT/v1/nodes/${node}/heartbeat`,
        ],
        condition: undefined,
      },
      ConnectAsOwnInstance: {
        action: 'iot:Connect',
        resources: [`${iot}:client/*`],
        condition: {
          ArnLike: {
            'ec2:SourceInstanceARN': {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':ec2:*:', { Ref: 'AWS::AccountId' }, `:instance/\${iot:ClientId}`],
              ],
            },
          },
        },
      },
      ConnectAsTaggedNode: { action: 'iot:Connect', resources: [`${iot}:client/${node}`], condition: undefined },
      SubscribeToOwnNode: {
        action: 'iot:Subscribe',
        resources: [`${iot}:topicfilter/everynode/nodes/\${iot:ClientId}/changed`],
        condition: undefined,
      },
      ReceiveOwnNode: {
        action: 'iot:Receive',
        resources: [`${iot}:topic/everynode/nodes/\${iot:ClientId}/changed`],
        condition: undefined,
      },
    });
  });

  it('deploys no IoT resource and publishes nothing when turned off; agents keep their API routes', () => {
    expect(resourcesOf(off, 'AWS::IoT::TopicRule')).toEqual({});
    expect(resourcesOf(off, 'Custom::IotDataEndpoint')).toEqual({});
    expect(Object.values(iotEndpointOf(off)).filter((value) => value !== undefined)).toEqual([]);
    expect(JSON.stringify(resourcesOf(off, 'AWS::IAM::Policy'))).not.toContain('iot:');
    expect(agentStatements(off).map((statement) => statement.Sid)).toEqual(['OwnNodeApiRoutes']);
    expect(Object.keys(off.toJSON()['Outputs'] as object)).not.toContain('IotEndpoint');
  });
});
