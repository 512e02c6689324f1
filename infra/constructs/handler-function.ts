import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type DurableQueue, VISIBILITY_TIMEOUT_FACTOR } from './durable-queue.js';
import { FUNCTION_BUNDLING, FUNCTION_RUNTIME } from './function-bundling.js';

export interface HandlerFunctionProps {
  /** Absolute path of the entry point; it exports `handler`. */
  readonly entry: string;
  /** Folder holding package-lock.json and the entry points. */
  readonly projectRoot: string;
  readonly description: string;
  readonly environment: Readonly<Record<string, string>>;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  /**
   * Concurrency set aside for this function alone.
   * @default - none reserved: the function draws from the account's unreserved pool
   */
  readonly reservedConcurrentExecutions?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

export interface ConsumeOptions {
  /** Most concurrent invocations the event source mapping starts (2 to 1000). */
  readonly maxConcurrency: number;
  /** @default 10 */
  readonly batchSize?: number;
  /** @default - no batching window: a batch is delivered as soon as messages are available */
  readonly maxBatchingWindow?: Duration;
}

/**
 * One Lambda function on arm64 with its own log group and a role that holds no managed policy: the
 * only permission it starts with is writing to that log group. Callers add table and queue access.
 */
export class HandlerFunction extends Construct {
  readonly lambda: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  #reserved: number | undefined;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    const reserved = props.reservedConcurrentExecutions;
    if (reserved !== undefined && (!Number.isInteger(reserved) || reserved < 1)) {
      throw new Error(`reservedConcurrentExecutions must be a positive integer, got ${reserved}`);
    }
    this.#reserved = reserved;
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      // Retention already bounds the logs; a retained group would outlive the stack with no owner.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.description}`,
    });
    this.logGroup.grantWrite(this.role);
    this.lambda = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: `${props.projectRoot}/package-lock.json`,
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      role: this.role,
      logGroup: this.logGroup,
      bundling: FUNCTION_BUNDLING,
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      ...(reserved === undefined ? {} : { reservedConcurrentExecutions: reserved }),
    });
    // The role's policy must exist before the function, or the first invocations lack permissions.
    this.lambda.node.addDependency(this.role);
  }

  /**
   * Subscribes the function to a queue. Failed records are reported one by one, so a poison message
   * does not retry its whole batch.
   */
  consume(source: DurableQueue, options: ConsumeOptions): SqsEventSource {
    const { maxConcurrency } = options;
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 2 || maxConcurrency > 1000) {
      throw new Error(`maxConcurrency must be an integer from 2 to 1000, got ${maxConcurrency}`);
    }
    if (this.#reserved !== undefined && this.#reserved < maxConcurrency) {
      // Lambda would throttle the mapping's own pollers, and throttled messages count as receives.
      throw new Error(`reserved concurrency ${this.#reserved} is below the queue's maxConcurrency ${maxConcurrency}`);
    }
    const timeout = this.lambda.timeout ?? Duration.seconds(3);
    if (source.consumerTimeout.toSeconds() < timeout.toSeconds()) {
      throw new Error(
        `the queue was sized for a ${source.consumerTimeout.toHumanString()} consumer, but this function runs for up to ${timeout.toHumanString()}; ` +
          `its visibility timeout must be at least ${VISIBILITY_TIMEOUT_FACTOR}x the function timeout`,
      );
    }
    const eventSource = new SqsEventSource(source.queue, {
      reportBatchItemFailures: true,
      maxConcurrency,
      batchSize: options.batchSize ?? 10,
      ...(options.maxBatchingWindow === undefined ? {} : { maxBatchingWindow: options.maxBatchingWindow }),
    });
    this.lambda.addEventSource(eventSource);
    return eventSource;
  }
}
