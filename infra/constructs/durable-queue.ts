import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** SQS wants the visibility timeout at six times the consumer's timeout, so throttled retries fit. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

export interface DurableQueueProps {
  /** How long one delivery may take: the timeout of the function that consumes the queue. */
  readonly consumerTimeout: Duration;
  /**
   * Deliveries before a message is parked in the dead-letter queue.
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * How long an unprocessed message is kept.
   * @default Duration.days(4)
   */
  readonly retentionPeriod?: Duration;
}

/**
 * A standard queue with its dead-letter queue. Standard, not FIFO: the reconciler needs per-message
 * delays for its re-checks, and the version condition on every write makes duplicates harmless.
 * Both queues refuse plain HTTP and use SQS-managed encryption, which EventBridge can deliver into
 * without a key policy (an SSE-KMS queue would need one per sending service).
 */
export class DurableQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  /** The consumer timeout the visibility timeout was sized for. */
  readonly consumerTimeout: Duration;

  constructor(scope: Construct, id: string, props: DurableQueueProps) {
    super(scope, id);
    const maxReceiveCount = props.maxReceiveCount ?? 5;
    const retentionPeriod = props.retentionPeriod ?? Duration.days(4);
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new Error(`maxReceiveCount must be an integer from 1 to 1000, got ${maxReceiveCount}`);
    }
    const visibilitySeconds = props.consumerTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR;
    if (visibilitySeconds > Duration.hours(12).toSeconds()) {
      throw new Error(
        `a consumer timeout of ${props.consumerTimeout.toHumanString()} needs a visibility timeout over 12 hours`,
      );
    }
    this.consumerTimeout = props.consumerTimeout;
    this.deadLetterQueue = new Queue(this, 'DeadLetter', {
      enforceSSL: true,
      encryption: QueueEncryption.SQS_MANAGED,
      // Longest SQS allows: parked messages wait for a human and a redrive.
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      enforceSSL: true,
      encryption: QueueEncryption.SQS_MANAGED,
      retentionPeriod,
      visibilityTimeout: Duration.seconds(visibilitySeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });
  }
}
