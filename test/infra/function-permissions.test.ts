import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { HEARTBEAT_WRITES, TABLE_ACCESS } from '../../infra/function-permissions.js';
import { buildStack, logicalIdOf, propertiesOf, resourcesOf } from './build-stack.js';

type Statement = Readonly<{ Effect: string; Action: string | string[]; Resource: unknown }>;

const CONSUME = [
  'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
  'sqs:ReceiveMessage',
];
const LOGS = ['logs:CreateLogStream', 'logs:PutLogEvents'];

/** Node change notices (infra/constructs/node-push-channel.ts): one topic level wildcarded, the node's name. */
const NODE_CHANGE_TOPICS = 'arn:AWS::Partition:iot:AWS::Region:AWS::AccountId:topic/everynode/nodes/*/changed';

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Renders a resource as `<logicalId>` or `<logicalId>/index/<name>`; literals stay as they are. */
function label(resource: unknown): string {
  if (typeof resource === 'string') return resource;
  const value = resource as { 'Fn::GetAtt'?: [string, string]; 'Fn::Join'?: [string, unknown[]]; Ref?: string };
  if (value['Fn::GetAtt'] !== undefined) return value['Fn::GetAtt'][0];
  if (value.Ref !== undefined) return value.Ref;
  if (value['Fn::Join'] !== undefined) return value['Fn::Join'][1].map(label).join(value['Fn::Join'][0]);
  return JSON.stringify(resource);
}

function allowStatements(template: Template): Statement[] {
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .flatMap((policy) => (policy.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement)
    .filter((statement) => statement.Effect === 'Allow');
}

/** `action -> resources` granted to one function's role, with logical ids swapped for readable names. */
function permissionsOf(template: Template, functionPrefix: string): Record<string, string[]> {
  const fn = propertiesOf(template, 'AWS::Lambda::Function', functionPrefix);
  const roleId = (fn['Role'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const names: Record<string, string> = {
    [logicalIdOf(template, 'AWS::DynamoDB::Table', 'Cluster')]: 'table',
    [logicalIdOf(template, 'AWS::SQS::Queue', 'IngestQueue')]: 'ingestQueue',
    [logicalIdOf(template, 'AWS::SQS::Queue', 'ReconcileQueue')]: 'reconcileQueue',
    [(fn['LoggingConfig'] as { LogGroup: { Ref: string } }).LogGroup.Ref]: 'ownLogGroup',
  };
  const rename = (text: string) =>
    Object.entries(names).reduce((renamed, [id, name]) => renamed.split(id).join(name), text);
  const granted: Record<string, string[]> = {};
  for (const policy of Object.values(resourcesOf(template, 'AWS::IAM::Policy'))) {
    if (!(policy.Properties['Roles'] as { Ref: string }[]).some((role) => role.Ref === roleId)) continue;
    for (const statement of (policy.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement) {
      for (const action of asList(statement.Action)) {
        granted[action] = [...(granted[action] ?? []), ...asList(statement.Resource).map(label).map(rename)].sort();
      }
    }
  }
  return granted;
}

function expectedPermissions(
  access: (typeof TABLE_ACCESS)[keyof typeof TABLE_ACCESS],
  sendsTo: string,
  consumes?: string,
): Record<string, string[]> {
  const expected: Record<string, string[]> = {};
  const add = (action: string, resource: string) => {
    expected[action] = [...(expected[action] ?? []), resource].sort();
  };
  for (const action of access.tableActions) add(action, 'table');
  for (const index of access.queryIndexes) add('dynamodb:Query', `table/index/${index}`);
  add('sqs:SendMessage', sendsTo);
  if (consumes !== undefined) for (const action of CONSUME) add(action, consumes);
  for (const action of LOGS) add(action, 'ownLogGroup');
  return expected;
}

describe('the function permissions', () => {
  const { template } = buildStack();

  it('names every action: none ends in a wildcard', () => {
    const actions = allowStatements(template).flatMap((statement) => asList(statement.Action));

    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((action) => action.endsWith('*'))).toEqual([]);
  });

  it('names every resource: a wildcard only where IoT Core leaves no choice', () => {
    const wildcards = allowStatements(template).flatMap((statement) =>
      asList(statement.Resource)
        .filter((resource) => JSON.stringify(resource).includes('*'))
        .map((resource) => `${asList(statement.Action).join(',')} on ${label(resource)}`),
    );

    // DescribeEndpoint has no resource type; a step may change any node's pods.
    expect(wildcards.sort()).toEqual([
      'iot:DescribeEndpoint on *',
      `iot:Publish on ${NODE_CHANGE_TOPICS}`,
      `iot:Publish on ${NODE_CHANGE_TOPICS}`,
    ]);
  });

  it('lets ingest store facts, list DaemonSets, enqueue reconciles and tell node agents', () => {
    expect(permissionsOf(template, 'IngestFunction')).toEqual({
      ...expectedPermissions(TABLE_ACCESS.ingest, 'reconcileQueue', 'ingestQueue'),
      'iot:Publish': [NODE_CHANGE_TOPICS],
    });
  });

  it('lets reconcile read and write the table, re-enqueue its own work and tell node agents', () => {
    expect(permissionsOf(template, 'ReconcileFunction')).toEqual({
      ...expectedPermissions(TABLE_ACCESS.reconcile, 'reconcileQueue', 'reconcileQueue'),
      'iot:Publish': [NODE_CHANGE_TOPICS],
    });
  });

  it('lets the API read the table and send facts, and write nothing but heartbeat items', () => {
    const granted = permissionsOf(template, 'ApiFunction');

    expect(granted).toEqual({
      ...expectedPermissions(TABLE_ACCESS.api, 'ingestQueue'),
      'dynamodb:UpdateItem': ['table'],
      'dynamodb:DeleteItem': ['table'],
    });
    expect(
      Object.keys(granted)
        .filter((action) => /^dynamodb:.*(Put|Update|Delete|Write)/.test(action))
        .sort(),
    ).toEqual([...HEARTBEAT_WRITES].sort());
    // Those two only on heartbeat items: the statement is conditioned on the item's partition key.
    const apiRole = logicalIdOf(template, 'AWS::IAM::Role', 'ApiFunction');
    const statements = Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
      .filter((policy) => (policy.Properties['Roles'] as { Ref: string }[]).some((role) => role.Ref === apiRole))
      .flatMap((policy) => (policy.Properties['PolicyDocument'] as { Statement: Record<string, unknown>[] }).Statement);
    const writes = statements.filter((statement) =>
      JSON.stringify(statement['Action']).includes('dynamodb:UpdateItem'),
    );
    expect(writes.map((statement) => statement['Condition'])).toEqual([
      { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['HEARTBEATS#*'] } },
    ]);
  });

  it('grants no table action that no store call makes', () => {
    const granted = ['IngestFunction', 'ReconcileFunction', 'ApiFunction', 'ResyncFunction'].map((prefix) => [
      prefix,
      Object.keys(permissionsOf(template, prefix)),
    ]);

    // Only the step writers check a removal's claim; only they batch-read items (gathered fact reads, warm caches).
    expect(
      granted.filter(([, actions]) => actions?.includes('dynamodb:ConditionCheckItem')).map(([prefix]) => prefix),
    ).toEqual(['IngestFunction', 'ReconcileFunction']);
    expect(
      granted.filter(([, actions]) => actions?.includes('dynamodb:BatchGetItem')).map(([prefix]) => prefix),
    ).toEqual(['IngestFunction', 'ReconcileFunction']);
  });

  it('lets resync only query the by-kind index and enqueue reconciles', () => {
    expect(permissionsOf(template, 'ResyncFunction')).toEqual({
      'dynamodb:Query': ['table/index/byKind'],
      'sqs:SendMessage': ['reconcileQueue'],
      'logs:CreateLogStream': ['ownLogGroup'],
      'logs:PutLogEvents': ['ownLogGroup'],
    });
  });
});
