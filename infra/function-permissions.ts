import { Aws, Validations } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { BY_KIND_INDEX, BY_NODE_INDEX, BY_SEQ_INDEX } from '../lib/store/dynamo/table.js';
import type { ClusterTable } from './constructs/cluster-table.js';

type IndexName = typeof BY_NODE_INDEX.name | typeof BY_KIND_INDEX.name | typeof BY_SEQ_INDEX.name;

/** What one function may do to the table: item actions on the table itself, and queries per index. */
export type TableAccess = Readonly<{
  tableActions: readonly `dynamodb:${string}`[];
  queryIndexes: readonly IndexName[];
}>;

/** Reads the API and the reconciler need to answer and to decide. */
const READS = ['dynamodb:GetItem', 'dynamodb:Query'] as const;

/**
 * Conditional writes. TransactWriteItems is authorised per item by the item's own action; the removal of a
 * deleted DaemonSet deletes its records in transactions with a `ConditionCheck` on its claim
 * (lib/store/dynamo/apply-step.ts), so ConditionCheckItem goes with the step writers.
 */
const CONDITIONAL_WRITES = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:TransactWriteItems',
] as const;

/** What applying a step takes beyond the conditional writes: its events, and a removal's claim check. */
const STEP_WRITES = ['dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem'] as const;

/**
 * Each function's table access, from the store calls it makes (lib/ports/cluster-store.ts). Grow a
 * list only when a function starts making a new call; the infra tests pin these lists.
 */
export const TABLE_ACCESS = {
  /**
   * Stores facts (nodes, DaemonSets, pod status, rejections; the reads of one batch's facts gathered into
   * BatchGetItem by lib/store/dynamo/read-item.ts), lists DaemonSets to fan out, and runs the node path: a
   * node's pods written as a step, with the step's events (BatchWriteItem).
   */
  ingest: {
    tableActions: [...READS, 'dynamodb:BatchGetItem', ...CONDITIONAL_WRITES, ...STEP_WRITES],
    queryIndexes: [BY_KIND_INDEX.name],
  },
  /**
   * Loads a snapshot (the nodes written since its last read through the bySeq index, fetched with
   * BatchGetItem by lib/store/dynamo/caches.ts) and applies a step, with its events (BatchWriteItem); collecting
   * a deleted DaemonSet's records checks its claim in each transaction (ConditionCheckItem).
   */
  reconcile: {
    tableActions: [...READS, 'dynamodb:BatchGetItem', ...CONDITIONAL_WRITES, ...STEP_WRITES],
    queryIndexes: [BY_NODE_INDEX.name, BY_KIND_INDEX.name, BY_SEQ_INDEX.name],
  },
  /** Answers reads; writes go through the ingest queue as facts (heartbeats aside: `grantHeartbeatWrites`). */
  api: { tableActions: [...READS], queryIndexes: [BY_NODE_INDEX.name, BY_KIND_INDEX.name] },
  /** Lists every DaemonSet through the by-kind index and nothing else. */
  resync: { tableActions: [], queryIndexes: [BY_KIND_INDEX.name] },
} as const satisfies Record<string, TableAccess>;

/** Grants exactly `access`, naming the table and each index; nothing else. */
export function grantTableAccess(grantee: IGrantable, table: ClusterTable, access: TableAccess): void {
  if (access.tableActions.length > 0) {
    Grant.addToPrincipal({ grantee, actions: [...access.tableActions], resourceArns: [table.table.tableArn] });
  }
  if (access.queryIndexes.length > 0) {
    Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:Query'],
      resourceArns: access.queryIndexes.map((name) => table.indexArn(name)),
    });
  }
}

/** Grants SendMessage (which also authorises SendMessageBatch) on one queue. */
export function grantSendMessage(grantee: IGrantable, queue: IQueue): Grant {
  return Grant.addToPrincipal({ grantee, actions: ['sqs:SendMessage'], resourceArns: [queue.queueArn] });
}

/** The lifecycle-hook calls everynode makes (lib/ports/lifecycle-actions.ts), and nothing else. */
export const LIFECYCLE_ACTIONS = [
  'autoscaling:CompleteLifecycleAction',
  'autoscaling:RecordLifecycleActionHeartbeat',
] as const;

/**
 * Grants the lifecycle-hook calls on the named Auto Scaling groups only (their ARNs by name; the group's id part
 * is a wildcard because it is only known once the group exists). Nothing when no group is named.
 */
export function grantLifecycleActions(grantee: IGrantable & IConstruct, groups: readonly string[]): void {
  if (groups.length === 0) return;
  for (const name of groups) {
    Validations.of(grantee).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:autoscaling:<AWS::Region>:<AWS::AccountId>:autoScalingGroup:*:autoScalingGroupName/${name}]`,
      reason:
        'An Auto Scaling group ARN embeds a generated group id: the policy names each group by name and wildcards only that id, as AWS documents for group-scoped lifecycle-hook permissions.',
    });
  }
  Grant.addToPrincipal({
    grantee,
    actions: [...LIFECYCLE_ACTIONS],
    resourceArns: groups.map(
      (name) =>
        `arn:${Aws.PARTITION}:autoscaling:${Aws.REGION}:${Aws.ACCOUNT_ID}:autoScalingGroup:*:autoScalingGroupName/${name}`,
    ),
  });
}

/** The only table writes the API makes: node agents' heartbeat items, renewed in place and deleted with their node. */
export const HEARTBEAT_WRITES = ['dynamodb:UpdateItem', 'dynamodb:DeleteItem'] as const;

/**
 * Lets the API write heartbeat items and nothing else: `HEARTBEAT_WRITES` on the table, only for items whose
 * partition key is a heartbeat shard (`HEARTBEATS#<n>`, lib/store/dynamo/dynamo-heartbeat-store.ts).
 */
export function grantHeartbeatWrites(grantee: IGrantable, table: ClusterTable): void {
  Grant.addToPrincipal({
    grantee,
    actions: [...HEARTBEAT_WRITES],
    resourceArns: [table.table.tableArn],
    conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['HEARTBEATS#*'] } },
  });
}

/** The node lifecycle controller's table access: heartbeat shards read and verdicts claimed, single nodes read. */
export const NODE_LIVENESS_ACCESS = {
  heartbeats: ['dynamodb:Query', 'dynamodb:UpdateItem'],
  nodes: ['dynamodb:GetItem'],
} as const;

/**
 * Lets the node lifecycle controller (functions/node-liveness.ts) query and claim heartbeat items only (partition
 * keys `HEARTBEATS#<n>`) and read node items only (`NODES#<n>`): it writes no node, it sends node facts to ingest.
 */
export function grantNodeLivenessAccess(grantee: IGrantable, table: ClusterTable): void {
  Grant.addToPrincipal({
    grantee,
    actions: [...NODE_LIVENESS_ACCESS.heartbeats],
    resourceArns: [table.table.tableArn],
    conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['HEARTBEATS#*'] } },
  });
  Grant.addToPrincipal({
    grantee,
    actions: [...NODE_LIVENESS_ACCESS.nodes],
    resourceArns: [table.table.tableArn],
    conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['NODES#*'] } },
  });
}
