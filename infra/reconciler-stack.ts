import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Aws, CfnOutput, Duration, type RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../functions/shared/observability.js';
import { AgentNodePolicy } from './constructs/agent-node-policy.js';
import { ClusterApi } from './constructs/cluster-api.js';
import { ClusterTable } from './constructs/cluster-table.js';
import { DurableQueue } from './constructs/durable-queue.js';
import { HandlerFunction } from './constructs/handler-function.js';
import { NodeEventRules } from './constructs/node-event-rules.js';
import { NodeLivenessSchedule } from './constructs/node-liveness-schedule.js';
import { NodePushChannel } from './constructs/node-push-channel.js';
import { ReconcilerAlarms } from './constructs/reconciler-alarms.js';
import { ReconcilerDashboard } from './constructs/reconciler-dashboard.js';
import { ResyncSchedule } from './constructs/resync-schedule.js';
import { type LogLevel, toFunctionEnvironment } from './function-environment.js';
import {
  grantHeartbeatWrites,
  grantLifecycleActions,
  grantNodeLivenessAccess,
  grantSendMessage,
  grantTableAccess,
  TABLE_ACCESS,
} from './function-permissions.js';
import { SIZING, WRITE_LAG_MS } from './sizing.js';

export interface ReconcilerStackProps extends StackProps {
  /**
   * Only these Auto Scaling groups' launches and terminations become node facts.
   * @default - every Auto Scaling group in the account and region
   */
  readonly autoScalingGroupNames?: readonly string[];
  /**
   * Whether EC2 instance state changes (running, shutting-down, terminated) become node facts too.
   * @default true
   */
  readonly instanceStateChanges?: boolean;
  /** @default Duration.minutes(5) */
  readonly resyncInterval?: Duration;
  /**
   * RETAIN keeps the table (and its deletion protection) when the stack goes; DESTROY deletes it.
   * @default RemovalPolicy.RETAIN
   */
  readonly tableRemovalPolicy?: RemovalPolicy;
  /**
   * Reserve each queue consumer's maximum concurrency (and one for the resync). Turn off in accounts
   * whose concurrency limit is too low to reserve anything (new accounts can start at 10).
   * @default true
   */
  readonly reserveConcurrency?: boolean;
  /** @default - no subscription to the alarm topic */
  readonly alarmEmail?: string;
  /** @default 'INFO' */
  readonly logLevel?: LogLevel;
  /**
   * The Auto Scaling groups whose lifecycle hooks everynode completes (`CompleteLifecycleAction` when a launched
   * node's startup gate opens or a terminating node has left, `RecordLifecycleActionHeartbeat` while a gate waits).
   * The functions may make these calls on these groups only. See docs/deploy.md for adding the hooks.
   * @default - no lifecycle hooks are completed
   */
  readonly lifecycleHookGroups?: readonly string[];
  /**
   * Nodes that join from EC2 and Auto Scaling events carry the startup taint (`everynode.io/startup`) until their
   * startup-critical DaemonSets are available.
   * @default - true when `lifecycleHookGroups` is set
   */
  readonly gateLaunches?: boolean;
  /**
   * Seconds between lifecycle heartbeats while a launch waits for its gate: keep it below the hook's heartbeat timeout.
   * @default 1800 (half of Auto Scaling's default one-hour heartbeat timeout)
   */
  readonly lifecycleHeartbeatSeconds?: number;
  /**
   * Time between two runs of the node lifecycle controller, which marks nodes whose agents stopped sending
   * heartbeats `Ready=Unknown` with the `node.kubernetes.io/unreachable` taints (and undoes it when they resume).
   * A whole number of minutes.
   * @default Duration.minutes(1)
   */
  readonly nodeLivenessInterval?: Duration;
  /**
   * How long a node agent may go without a heartbeat before its node is marked unreachable (Kubernetes'
   * `node-monitor-grace-period`). Keep it well above the agents' `--heartbeat-interval`.
   * @default Duration.seconds(50)
   */
  readonly nodeGracePeriod?: Duration;
  /**
   * The push channel to node agents through AWS IoT Core (docs/decisions/0007-node-agent-reaction-and-cost.md): the
   * reconcile and ingest functions publish `everynode/nodes/<node>/changed` after a write changes a node's pods, and
   * the broker's presence events (an agent connected or went silent) reach the ingest queue. Off, agents learn of
   * changes only by polling the API.
   * @default true
   */
  readonly pushChannel?: boolean;
}

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * everynode on AWS: API → ingest queue → ingest function → table → reconcile queue → reconcile
 * function (which re-enqueues itself with a delay while a rollout progresses), plus node events from
 * EventBridge and a periodic resync.
 */
export class ReconcilerStack extends Stack {
  readonly table: ClusterTable;
  readonly ingestQueue: DurableQueue;
  readonly reconcileQueue: DurableQueue;
  readonly ingest: HandlerFunction;
  readonly reconcile: HandlerFunction;
  readonly api: HandlerFunction;
  readonly resync: HandlerFunction;
  readonly nodeLiveness: HandlerFunction;
  readonly clusterApi: ClusterApi;
  readonly nodeEvents: NodeEventRules;
  readonly resyncSchedule: ResyncSchedule;
  readonly nodeLivenessSchedule: NodeLivenessSchedule;
  readonly alarms: ReconcilerAlarms;
  /** Absent when `pushChannel` is false. */
  readonly pushChannel: NodePushChannel | undefined;
  readonly agentNodePolicy: AgentNodePolicy;

  constructor(scope: Construct, id: string, props: ReconcilerStackProps = {}) {
    super(scope, id, {
      description: 'everynode: a serverless DaemonSet controller',
      ...props,
    });
    const reserve = props.reserveConcurrency ?? true;
    const hookGroups = props.lifecycleHookGroups ?? [];
    validateHookGroups(hookGroups, props.autoScalingGroupNames);
    const nodeGraceSeconds = validateNodeGracePeriod(props.nodeGracePeriod);

    this.table = new ClusterTable(this, 'Cluster', {
      ...(props.tableRemovalPolicy === undefined ? {} : { removalPolicy: props.tableRemovalPolicy }),
    });
    this.ingestQueue = new DurableQueue(this, 'Ingest', {
      consumerTimeout: SIZING.ingest.timeout,
      maxReceiveCount: SIZING.ingest.maxReceiveCount,
    });
    this.reconcileQueue = new DurableQueue(this, 'Reconcile', {
      consumerTimeout: SIZING.reconcile.timeout,
      maxReceiveCount: SIZING.reconcile.maxReceiveCount,
    });

    this.pushChannel =
      props.pushChannel === false
        ? undefined
        : new NodePushChannel(this, 'PushChannel', { ingestQueue: this.ingestQueue });
    // Only the functions that write pods (steps, the node path, pod deletions) publish node change notices.
    const writesPods = (service: string) => service === 'ingest' || service === 'reconcile';
    const environmentFor = (service: string): Record<string, string> =>
      toFunctionEnvironment({
        tableName: this.table.table.tableName,
        ingestQueueUrl: this.ingestQueue.queue.queueUrl,
        reconcileQueueUrl: this.reconcileQueue.queue.queueUrl,
        serviceName: `everynode-${service}`,
        metricsNamespace: METRICS_NAMESPACE,
        logLevel: props.logLevel ?? 'INFO',
        writeLagMs: WRITE_LAG_MS,
        gateJoins: props.gateLaunches ?? hookGroups.length > 0,
        lifecycleHooks: hookGroups.length > 0,
        ...(props.lifecycleHeartbeatSeconds === undefined
          ? {}
          : { lifecycleHeartbeatSeconds: props.lifecycleHeartbeatSeconds }),
        ...(nodeGraceSeconds === undefined ? {} : { nodeGracePeriodSeconds: nodeGraceSeconds }),
        ...(this.pushChannel !== undefined && writesPods(service)
          ? { iotEndpoint: this.pushChannel.endpointAddress }
          : {}),
      });
    const entry = (name: string): string => join(PROJECT_ROOT, 'functions', `${name}.ts`);

    this.ingest = new HandlerFunction(this, 'IngestFunction', {
      entry: entry('ingest'),
      projectRoot: PROJECT_ROOT,
      description: 'everynode ingest: stores node, DaemonSet and pod facts, enqueues reconciles',
      environment: environmentFor('ingest'),
      timeout: SIZING.ingest.timeout,
      memorySize: SIZING.ingest.memorySize,
      ...(reserve ? { reservedConcurrentExecutions: SIZING.ingest.maxConcurrency } : {}),
    });
    this.ingest.consume(this.ingestQueue, SIZING.ingest);
    grantTableAccess(this.ingest.role, this.table, TABLE_ACCESS.ingest);
    grantSendMessage(this.ingest.role, this.reconcileQueue.queue);
    grantLifecycleActions(this.ingest.role, hookGroups);
    this.pushChannel?.grantPublish(this.ingest.role);

    this.reconcile = new HandlerFunction(this, 'ReconcileFunction', {
      entry: entry('reconcile'),
      projectRoot: PROJECT_ROOT,
      description: 'everynode reconcile: plans and applies one DaemonSet step, re-checks later',
      environment: environmentFor('reconcile'),
      timeout: SIZING.reconcile.timeout,
      memorySize: SIZING.reconcile.memorySize,
      ...(reserve ? { reservedConcurrentExecutions: SIZING.reconcile.maxConcurrency } : {}),
    });
    this.reconcile.consume(this.reconcileQueue, SIZING.reconcile);
    grantTableAccess(this.reconcile.role, this.table, TABLE_ACCESS.reconcile);
    grantSendMessage(this.reconcile.role, this.reconcileQueue.queue);
    grantLifecycleActions(this.reconcile.role, hookGroups);
    this.pushChannel?.grantPublish(this.reconcile.role);

    this.api = new HandlerFunction(this, 'ApiFunction', {
      entry: entry('api'),
      projectRoot: PROJECT_ROOT,
      description: 'everynode API: validates requests, sends facts to ingest, answers reads',
      environment: environmentFor('api'),
      timeout: SIZING.api.timeout,
      memorySize: SIZING.api.memorySize,
    });
    grantTableAccess(this.api.role, this.table, TABLE_ACCESS.api);
    grantHeartbeatWrites(this.api.role, this.table);
    grantSendMessage(this.api.role, this.ingestQueue.queue);

    this.resync = new HandlerFunction(this, 'ResyncFunction', {
      entry: entry('resync'),
      projectRoot: PROJECT_ROOT,
      description: 'everynode resync: enqueues every DaemonSet for reconcile',
      environment: environmentFor('resync'),
      timeout: SIZING.resync.timeout,
      memorySize: SIZING.resync.memorySize,
      ...(reserve ? { reservedConcurrentExecutions: 1 } : {}),
    });
    grantTableAccess(this.resync.role, this.table, TABLE_ACCESS.resync);
    grantSendMessage(this.resync.role, this.reconcileQueue.queue);

    this.nodeLiveness = new HandlerFunction(this, 'NodeLivenessFunction', {
      entry: entry('node-liveness'),
      projectRoot: PROJECT_ROOT,
      description: 'everynode node lifecycle: marks nodes whose agents stopped sending heartbeats NotReady',
      environment: environmentFor('node-liveness'),
      timeout: SIZING.nodeLiveness.timeout,
      memorySize: SIZING.nodeLiveness.memorySize,
      ...(reserve ? { reservedConcurrentExecutions: 1 } : {}),
    });
    grantNodeLivenessAccess(this.nodeLiveness.role, this.table);
    grantSendMessage(this.nodeLiveness.role, this.ingestQueue.queue);

    this.clusterApi = new ClusterApi(this, 'Api', { handler: this.api.lambda });
    this.agentNodePolicy = new AgentNodePolicy(this, 'AgentNode', {
      apiId: this.clusterApi.api.apiId,
      pushChannel: this.pushChannel !== undefined,
    });
    this.nodeEvents = new NodeEventRules(this, 'NodeEvents', {
      queue: this.ingestQueue.queue,
      deadLetterQueue: this.ingestQueue.deadLetterQueue,
      ...(props.autoScalingGroupNames === undefined ? {} : { autoScalingGroupNames: props.autoScalingGroupNames }),
      ...(props.instanceStateChanges === undefined ? {} : { instanceStateChanges: props.instanceStateChanges }),
    });
    this.resyncSchedule = new ResyncSchedule(this, 'Resync', {
      handler: this.resync.lambda,
      ...(props.resyncInterval === undefined ? {} : { interval: props.resyncInterval }),
    });
    this.nodeLivenessSchedule = new NodeLivenessSchedule(this, 'NodeLiveness', {
      handler: this.nodeLiveness.lambda,
      ...(props.nodeLivenessInterval === undefined ? {} : { interval: props.nodeLivenessInterval }),
    });

    const queues = [
      { name: 'ingest', queue: this.ingestQueue, maxAge: Duration.minutes(10) },
      // Re-checks wait up to 15 minutes by design; only age beyond that means falling behind.
      { name: 'reconcile', queue: this.reconcileQueue, maxAge: Duration.minutes(30) },
    ];
    const functions = [
      { name: 'ingest', lambda: this.ingest.lambda },
      { name: 'reconcile', lambda: this.reconcile.lambda },
      { name: 'api', lambda: this.api.lambda },
      { name: 'resync', lambda: this.resync.lambda },
      { name: 'node-liveness', lambda: this.nodeLiveness.lambda },
    ];
    this.alarms = new ReconcilerAlarms(this, 'Alarms', {
      queues,
      functions,
      ...(props.alarmEmail === undefined ? {} : { email: props.alarmEmail }),
    });
    new ReconcilerDashboard(this, 'Dashboard', {
      queues,
      functions,
      stage: this.clusterApi.stage,
      table: this.table.table,
      alarms: this.alarms.alarms,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.clusterApi.url, description: 'everynode --endpoint <this>' });
    new CfnOutput(this, 'IngestQueueUrl', { value: this.ingestQueue.queue.queueUrl });
    new CfnOutput(this, 'ReconcileQueueUrl', { value: this.reconcileQueue.queue.queueUrl });
    new CfnOutput(this, 'IngestDeadLetterQueueArn', { value: this.ingestQueue.deadLetterQueue.queueArn });
    new CfnOutput(this, 'ReconcileDeadLetterQueueArn', { value: this.reconcileQueue.deadLetterQueue.queueArn });
    new CfnOutput(this, 'TableName', { value: this.table.table.tableName });
    new CfnOutput(this, 'Region', { value: Aws.REGION });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'AgentNodePolicyArn', {
      value: this.agentNodePolicy.policy.managedPolicyArn,
      description: "Attach to the node hosts' role: each agent its own node's API routes and MQTT topic",
    });
    if (this.pushChannel !== undefined) {
      new CfnOutput(this, 'IotEndpoint', {
        value: this.pushChannel.endpointAddress,
        description: 'everynode agent --push wss://<this>',
      });
    }
  }
}

/** Hook groups must be named, once each, and among the groups whose events the stack receives. */
function validateHookGroups(groups: readonly string[], followed: readonly string[] | undefined): void {
  if (new Set(groups).size !== groups.length)
    throw new Error(`lifecycleHookGroups repeats a name: ${groups.join(', ')}`);
  for (const name of groups) {
    if (name.trim() === '' || name.length > 255 || name.includes('*')) {
      throw new Error(`lifecycleHookGroups: invalid Auto Scaling group name "${name}"`);
    }
    if (followed !== undefined && !followed.includes(name)) {
      throw new Error(
        `lifecycleHookGroups names "${name}", which autoScalingGroupNames leaves out: its lifecycle events would never arrive`,
      );
    }
  }
}

/** The grace period in whole seconds, between 10 s and a day (what the functions accept); undefined for the default. */
function validateNodeGracePeriod(grace: Duration | undefined): number | undefined {
  if (grace === undefined) return undefined;
  const seconds = grace.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < 10 || seconds > 86_400) {
    throw new Error(`nodeGracePeriod must be whole seconds between 10s and 1 day; got ${grace.toHumanString()}`);
  }
  return seconds;
}
