import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { LIFECYCLE_ACTIONS } from '../../infra/function-permissions.js';
import { buildStack, propertiesOf, resourcesOf, SYNTH_TIMEOUT } from './build-stack.js';

type Statement = Readonly<{ Effect: string; Action: string | string[]; Resource: unknown }>;
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

function render(resource: unknown): string {
  if (typeof resource === 'string') return resource;
  const value = resource as { Ref?: string; 'Fn::Join'?: [string, unknown[]] };
  if (value.Ref !== undefined) return `<${value.Ref}>`;
  if (value['Fn::Join'] !== undefined) return value['Fn::Join'][1].map(render).join(value['Fn::Join'][0]);
  return JSON.stringify(resource);
}

/** The lifecycle-hook statements, by the role's function. */
function lifecycleGrants(template: ReturnType<typeof buildStack>['template']): Record<string, string[]> {
  const grants: Record<string, string[]> = {};
  for (const prefix of ['IngestFunction', 'ReconcileFunction', 'ApiFunction', 'ResyncFunction']) {
    const fn = propertiesOf(template, 'AWS::Lambda::Function', prefix);
    const roleId = (fn['Role'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    for (const policy of Object.values(resourcesOf(template, 'AWS::IAM::Policy'))) {
      if (!(policy.Properties['Roles'] as { Ref: string }[]).some((role) => role.Ref === roleId)) continue;
      for (const statement of (policy.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement) {
        const actions = asList(statement.Action).filter((action) => action.startsWith('autoscaling:'));
        for (const action of actions) {
          grants[`${prefix} ${action}`] = asList(statement.Resource).map(render).sort();
        }
      }
    }
  }
  return grants;
}

describe('the lifecycle hooks in the stack', () => {
  let hooked: ReturnType<typeof buildStack>;
  let plain: ReturnType<typeof buildStack>;
  let nag: ReturnType<AwsSolutionsChecks['validateScope']>;
  beforeAll(() => {
    hooked = buildStack({
      autoScalingGroupNames: ['workers', 'gpu-workers', 'batch'],
      lifecycleHookGroups: ['workers', 'gpu-workers'],
      lifecycleHeartbeatSeconds: 900,
    });
    plain = buildStack();
    nag = new AwsSolutionsChecks().validateScope(hooked.stack);
  }, SYNTH_TIMEOUT);

  it('lets ingest and reconcile complete and heartbeat lifecycle actions on the named groups only', () => {
    const arn = (name: string) =>
      `arn:<AWS::Partition>:autoscaling:<AWS::Region>:<AWS::AccountId>:autoScalingGroup:*:autoScalingGroupName/${name}`;
    const groups = [arn('gpu-workers'), arn('workers')];

    expect(lifecycleGrants(hooked.template)).toEqual({
      'IngestFunction autoscaling:CompleteLifecycleAction': groups,
      'IngestFunction autoscaling:RecordLifecycleActionHeartbeat': groups,
      'ReconcileFunction autoscaling:CompleteLifecycleAction': groups,
      'ReconcileFunction autoscaling:RecordLifecycleActionHeartbeat': groups,
    });
    expect(LIFECYCLE_ACTIONS).toEqual([
      'autoscaling:CompleteLifecycleAction',
      'autoscaling:RecordLifecycleActionHeartbeat',
    ]);
  });

  it('grants no Auto Scaling action without hook groups', () => {
    expect(lifecycleGrants(plain.template)).toEqual({});
  });

  it('turns on gated joins and the lifecycle calls in the functions, with the heartbeat interval', () => {
    const variables = (template: typeof plain.template) =>
      (
        propertiesOf(template, 'AWS::Lambda::Function', 'IngestFunction')['Environment'] as {
          Variables: Record<string, string>;
        }
      ).Variables;

    expect(variables(hooked.template)).toMatchObject({
      EVERYNODE_GATE_JOINS: 'true',
      EVERYNODE_LIFECYCLE_HOOKS: 'true',
      EVERYNODE_LIFECYCLE_HEARTBEAT_SECONDS: '900',
    });
    expect(variables(plain.template)).toMatchObject({
      EVERYNODE_GATE_JOINS: 'false',
      EVERYNODE_LIFECYCLE_HOOKS: 'false',
    });
  });

  it('passes the AwsSolutions checks, the group-id wildcard justified by name', () => {
    expect(nag.violations).toEqual([]);
  });

  it('refuses hook groups whose events the stack does not follow, or repeated names', () => {
    expect(() =>
      buildStack({ autoScalingGroupNames: ['workers'], lifecycleHookGroups: ['batch'] }, { fresh: true }),
    ).toThrow(/lifecycleHookGroups names "batch", which autoScalingGroupNames leaves out/);
    expect(() => buildStack({ lifecycleHookGroups: ['a', 'a'] }, { fresh: true })).toThrow(/repeats a name/);
  });
});
