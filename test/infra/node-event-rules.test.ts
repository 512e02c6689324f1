import { readdirSync, readFileSync } from 'node:fs';
import { App, Duration, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { NodeEventRules } from '../../infra/constructs/node-event-rules.js';
import { buildStack, logicalIdOf, propertiesOf, resourcesOf, SYNTH_TIMEOUT } from './build-stack.js';
import { matchesEventPattern } from './matches-event-pattern.js';

const FIXTURES = new URL('../fixtures/events/eventbridge/', import.meta.url);
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));

const AUTO_SCALING_EVENTS = [
  'autoscaling-launch-successful.json',
  'autoscaling-terminate-successful.json',
  'autoscaling-launch-lifecycle-action.json',
  'autoscaling-terminate-lifecycle-action.json',
];
const STATE_CHANGE_EVENTS = [
  'ec2-instance-state-change-running.json',
  'ec2-instance-state-change-shutting-down.json',
  'ec2-instance-state-change-terminated.json',
];
const UNRELATED_EVENTS = [
  'autoscaling-launch-unsuccessful.json',
  'ec2-instance-state-change-pending.json',
  'ec2-instance-state-change-stopping.json',
  'ec2-spot-instance-interruption-warning.json',
  'custom-source-lookalike.json',
];

type RuleProperties = Readonly<{
  EventPattern?: unknown;
  ScheduleExpression?: string;
  Targets: readonly Readonly<Record<string, unknown>>[];
}>;

function eventRules(template: Template): Record<string, RuleProperties> {
  const rules = resourcesOf(template, 'AWS::Events::Rule');
  return Object.fromEntries(
    Object.entries(rules)
      .map(([id, rule]) => [id, rule.Properties as RuleProperties] as const)
      .filter(([, rule]) => rule.EventPattern !== undefined),
  );
}

function rulesMatching(template: Template, event: unknown): string[] {
  return Object.entries(eventRules(template))
    .filter(([, rule]) => matchesEventPattern(rule.EventPattern, event))
    .map(([id]) => id);
}

describe('the node event rules', () => {
  const { template } = buildStack();
  let named: Template;
  let others: Template;
  let withoutStateChanges: Template;
  beforeAll(() => {
    named = buildStack({ autoScalingGroupNames: ['workers', 'gpu-workers'] }).template;
    others = buildStack({ autoScalingGroupNames: ['batch'] }).template;
    withoutStateChanges = buildStack({ instanceStateChanges: false }).template;
  }, SYNTH_TIMEOUT);

  it('has a sample for every event it names', () => {
    const files = readdirSync(FIXTURES).filter((name) => name.endsWith('.json'));

    expect(files.sort()).toEqual([...AUTO_SCALING_EVENTS, ...STATE_CHANGE_EVENTS, ...UNRELATED_EVENTS].sort());
  });

  it.each([...AUTO_SCALING_EVENTS, ...STATE_CHANGE_EVENTS])('sends %s to the ingest queue', (name) => {
    const matched = rulesMatching(template, fixture(name));

    expect(matched).toHaveLength(1);
    expect(eventRules(template)[matched[0] as string]?.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'IngestQueue'), 'Arn'] },
        DeadLetterConfig: {
          Arn: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'IngestDeadLetter'), 'Arn'] },
        },
      }),
    ]);
  });

  it.each(UNRELATED_EVENTS)('ignores %s', (name) => {
    expect(rulesMatching(template, fixture(name))).toEqual([]);
  });

  it('lets EventBridge send to the ingest queue only on behalf of its own rules', () => {
    const ruleIds = Object.keys(eventRules(template));
    const statements = Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy')).flatMap(
      (policy) => (policy.Properties['PolicyDocument'] as { Statement: Record<string, unknown>[] }).Statement,
    );
    const fromEvents = statements.filter(
      (statement) => (statement['Principal'] as { Service?: string } | undefined)?.Service === 'events.amazonaws.com',
    );

    expect(fromEvents.length).toBeGreaterThan(0);
    for (const statement of fromEvents) {
      expect(statement['Action']).toContain('sqs:SendMessage');
      const sourceArn = (
        statement['Condition'] as { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [string, string] } } }
      ).ArnEquals['aws:SourceArn'];
      expect(ruleIds).toContain(sourceArn['Fn::GetAtt'][0]);
    }
  });

  it('follows only the named Auto Scaling groups when given names', () => {
    for (const name of AUTO_SCALING_EVENTS) {
      expect(rulesMatching(named, fixture(name)), name).toHaveLength(1);
      expect(rulesMatching(others, fixture(name)), name).toEqual([]);
    }
    for (const name of STATE_CHANGE_EVENTS) expect(rulesMatching(others, fixture(name)), name).toHaveLength(1);
  });

  it('leaves out instance state changes when asked to', () => {
    for (const name of STATE_CHANGE_EVENTS) expect(rulesMatching(withoutStateChanges, fixture(name))).toEqual([]);
    for (const name of AUTO_SCALING_EVENTS) expect(rulesMatching(withoutStateChanges, fixture(name))).toHaveLength(1);
  });

  it.each([
    [[], /is empty/],
    [['workers', 'workers'], /repeats a name/],
    [[' '], /invalid Auto Scaling group name/],
  ])('refuses the group list %j', (names, message) => {
    const stack = new Stack(new App(), 'Test');
    const queue = new Queue(stack, 'Queue');

    expect(
      () => new NodeEventRules(stack, 'Rules', { queue, deadLetterQueue: queue, autoScalingGroupNames: names }),
    ).toThrow(message);
  });
});

/** Every schedule's prop set away from its default, built once for the resync and node liveness tests. */
const TUNED = {
  resyncInterval: Duration.minutes(15),
  nodeLivenessInterval: Duration.minutes(2),
  nodeGracePeriod: Duration.seconds(150),
};

describe('the resync schedule', () => {
  let template: Template;
  let fifteenMinutes: Template;
  beforeAll(() => {
    template = buildStack().template;
    fifteenMinutes = buildStack(TUNED).template;
  }, SYNTH_TIMEOUT);
  const scheduleOf = (template: Template) => {
    const rules = Object.values(resourcesOf(template, 'AWS::Events::Rule')).map(
      (rule) => rule.Properties as RuleProperties,
    );
    const resync = logicalIdOf(template, 'AWS::Lambda::Function', 'ResyncFunction');
    return rules.filter(
      (rule) => rule.ScheduleExpression !== undefined && JSON.stringify(rule.Targets).includes(resync),
    );
  };

  it('invokes the resync function every five minutes by default', () => {
    expect(scheduleOf(template)).toEqual([
      expect.objectContaining({
        ScheduleExpression: 'rate(5 minutes)',
        Targets: [
          expect.objectContaining({
            Arn: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::Lambda::Function', 'ResyncFunction'), 'Arn'] },
          }),
        ],
      }),
    ]);
  });

  it('follows the configured interval', () => {
    expect(scheduleOf(fifteenMinutes)[0]?.ScheduleExpression).toBe('rate(15 minutes)');
  });

  it('refuses an interval under a minute', { timeout: SYNTH_TIMEOUT }, () => {
    expect(() => buildStack({ resyncInterval: Duration.seconds(30) })).toThrow(/whole number of minutes/);
  });
});

type PolicyStatement = Readonly<{ Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown }>;

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** The statements of the policies attached to one function's role. */
function statementsOf(template: Template, functionPrefix: string): PolicyStatement[] {
  const role = logicalIdOf(template, 'AWS::IAM::Role', functionPrefix);
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties['Roles'] as { Ref: string }[]).some((entry) => entry.Ref === role))
    .flatMap((policy) => (policy.Properties['PolicyDocument'] as { Statement: PolicyStatement[] }).Statement);
}

function livenessRule(template: Template): Record<string, unknown> {
  const fn = logicalIdOf(template, 'AWS::Lambda::Function', 'NodeLivenessFunction');
  const rules = Object.values(resourcesOf(template, 'AWS::Events::Rule')).filter((rule) =>
    JSON.stringify(rule.Properties['Targets']).includes(fn),
  );
  expect(rules).toHaveLength(1);
  return rules[0]?.Properties ?? {};
}

const graceOf = (template: Template): string | undefined =>
  (
    propertiesOf(template, 'AWS::Lambda::Function', 'NodeLivenessFunction')['Environment'] as {
      Variables: Record<string, string>;
    }
  ).Variables['EVERYNODE_NODE_GRACE_PERIOD_SECONDS'];

describe('the deployed node lifecycle controller', () => {
  let template: Template;
  let tuned: Template;
  beforeAll(() => {
    // The same two builds as the resync schedule's tests, so this file synthesizes no more stacks.
    template = buildStack().template;
    tuned = buildStack(TUNED).template;
  }, SYNTH_TIMEOUT);

  it('runs every minute by default, with Kubernetes’ 50-second grace period', () => {
    expect(livenessRule(template)).toMatchObject({
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Targets: [expect.objectContaining({ RetryPolicy: { MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 2 } })],
    });
    expect(graceOf(template)).toBe('50');
  });

  it('follows the configured interval and grace period', () => {
    expect(livenessRule(tuned)['ScheduleExpression']).toBe('rate(2 minutes)');
    expect(graceOf(tuned)).toBe('150');
  });

  it('may query and claim heartbeat items, read node items, and send facts to ingest: nothing else', () => {
    const table = logicalIdOf(template, 'AWS::DynamoDB::Table', 'Cluster');
    const ingest = logicalIdOf(template, 'AWS::SQS::Queue', 'IngestQueue');
    const granted = statementsOf(template, 'NodeLivenessFunction')
      .filter((statement) => statement.Effect === 'Allow')
      .filter((statement) => !asList(statement.Action).every((action) => action.startsWith('logs:')))
      .map((statement) => ({
        actions: asList(statement.Action).toSorted(),
        resource: JSON.stringify(statement.Resource).includes(table) ? 'table' : JSON.stringify(statement.Resource),
        condition: statement.Condition,
      }));

    expect(granted).toEqual([
      {
        actions: ['dynamodb:Query', 'dynamodb:UpdateItem'],
        resource: 'table',
        condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['HEARTBEATS#*'] } },
      },
      {
        actions: ['dynamodb:GetItem'],
        resource: 'table',
        condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['NODES#*'] } },
      },
      { actions: ['sqs:SendMessage'], resource: expect.stringContaining(ingest), condition: undefined },
    ]);
  });

  it('refuses an interval under a minute and a grace period outside 10 s to a day', { timeout: SYNTH_TIMEOUT }, () => {
    expect(() => buildStack({ nodeLivenessInterval: Duration.seconds(30) }, { fresh: true })).toThrow(
      /node liveness interval must be a whole number of minutes/,
    );
    expect(() => buildStack({ nodeGracePeriod: Duration.seconds(5) }, { fresh: true })).toThrow(
      /nodeGracePeriod must be whole seconds between 10s and 1 day/,
    );
  });
});
