import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClusterTable } from '../../infra/constructs/cluster-table.js';
import { BY_KIND_INDEX, BY_NODE_INDEX, BY_SEQ_INDEX, TABLE_KEYS } from '../../lib/store/dynamo/table.js';
import { buildStack, resourcesOf, SYNTH_TIMEOUT } from './build-stack.js';

describe('the cluster table', () => {
  const { template } = buildStack();
  let destroyable: Template;
  beforeAll(() => {
    destroyable = buildStack({ tableRemovalPolicy: RemovalPolicy.DESTROY }).template;
  }, SYNTH_TIMEOUT);

  it('uses the shared key schema, on-demand billing and both indexes', () => {
    const projections = [{ ProjectionType: 'ALL' }, { ProjectionType: 'INCLUDE', NonKeyAttributes: ['rejection'] }];

    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: Match.arrayWith(
        [BY_NODE_INDEX, BY_KIND_INDEX].map((index, position) =>
          Match.objectLike({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
            Projection: projections[position],
          }),
        ),
      ),
      LocalSecondaryIndexes: [
        {
          IndexName: BY_SEQ_INDEX.name,
          KeySchema: [
            { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
            { AttributeName: BY_SEQ_INDEX.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['writeId'] },
        },
      ],
    });
  });

  it('has point-in-time recovery, encryption under the AWS-managed KMS key and a TTL attribute', () => {
    const [table] = Object.values(resourcesOf(template, 'AWS::DynamoDB::Table'));

    expect(table?.Properties).toMatchObject({
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: TABLE_KEYS.timeToLive, Enabled: true },
    });
    // SSEEnabled without a key id selects the AWS-managed key (aws/dynamodb) rather than an AWS-owned one.
    expect(table?.Properties['SSESpecification']).toEqual({ SSEEnabled: true });
  });

  it('is retained and deletion-protected by default', () => {
    const [table] = Object.values(resourcesOf(template, 'AWS::DynamoDB::Table'));

    expect(table?.DeletionPolicy).toBe('Retain');
    expect(table?.UpdateReplacePolicy).toBe('Retain');
    expect(table?.Properties['DeletionProtectionEnabled']).toBe(true);
  });

  it('is deleted with the stack and unprotected when the removal policy is DESTROY', () => {
    const [table] = Object.values(resourcesOf(destroyable, 'AWS::DynamoDB::Table'));

    expect(table?.DeletionPolicy).toBe('Delete');
    expect(table?.Properties['DeletionProtectionEnabled']).toBe(false);
  });

  it('refuses deletion protection together with removal policy DESTROY', () => {
    const stack = new Stack(new App(), 'Test');

    expect(
      () => new ClusterTable(stack, 'Table', { removalPolicy: RemovalPolicy.DESTROY, deletionProtection: true }),
    ).toThrow(/deletion protection/);
  });

  it('refuses removal policies other than RETAIN and DESTROY', () => {
    const stack = new Stack(new App(), 'Test');

    expect(() => new ClusterTable(stack, 'Table', { removalPolicy: RemovalPolicy.SNAPSHOT })).toThrow(
      /RETAIN or DESTROY/,
    );
  });

  it('names only indexes it has', () => {
    const table = new ClusterTable(new Stack(new App(), 'Test'), 'Table');

    expect(() => table.indexArn('byColour')).toThrow(/no index byColour/);
  });
});
