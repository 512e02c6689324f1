import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FromEventBridgeOptions } from '../../lib/messages/from-eventbridge-event.js';
import type { ClusterStore } from '../../lib/ports/cluster-store.js';
import type { HeartbeatStore } from '../../lib/ports/heartbeat-store.js';
import type { LifecycleActions } from '../../lib/ports/lifecycle-actions.js';
import type { WorkQueue } from '../../lib/ports/work-queue.js';
import { DynamoClusterStore } from '../../lib/store/dynamo/dynamo-cluster-store.js';
import { DynamoHeartbeatStore } from '../../lib/store/dynamo/dynamo-heartbeat-store.js';
import { AutoScalingLifecycleActions } from './auto-scaling-lifecycle-actions.js';
import type { Config } from './config.js';
import { SqsWorkQueue } from './sqs-work-queue.js';

/** What the Lambda entry points share, built once per cold start. */
export type LambdaDeps = Readonly<{
  store: ClusterStore;
  workQueue: WorkQueue;
  now: () => number;
  /** Present when the stack completes Auto Scaling lifecycle hooks. */
  lifecycleActions?: LifecycleActions;
  heartbeatIntervalSeconds?: number;
  eventBridge: FromEventBridgeOptions;
  heartbeats: HeartbeatStore;
}>;

/** Builds the AWS clients, the DynamoDB store and the reconcile queue from validated configuration. */
export function wireLambdaDeps(config: Config): LambdaDeps {
  const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return {
    store: new DynamoClusterStore(
      documentClient,
      config.tableName,
      config.writeLagMs === undefined ? {} : { writeLagMs: config.writeLagMs },
    ),
    heartbeats: new DynamoHeartbeatStore(documentClient, config.tableName),
    workQueue: new SqsWorkQueue(new SQSClient({}), config.reconcileQueueUrl),
    now: Date.now,
    ...(config.lifecycleHooks ? { lifecycleActions: new AutoScalingLifecycleActions(new AutoScalingClient({})) } : {}),
    ...(config.heartbeatIntervalSeconds === undefined
      ? {}
      : { heartbeatIntervalSeconds: config.heartbeatIntervalSeconds }),
    eventBridge: { gateJoins: config.gateJoins },
  };
}
