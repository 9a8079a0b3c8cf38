import { Duration } from 'aws-cdk-lib';
import { DeduplicationScope, FifoThroughputLimit, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Lambda's advice for SQS event sources, and invariant-critical here (DESIGN.md). */
export const VISIBILITY_TO_TIMEOUT_RATIO = 6;

/** Receives before a message moves to the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;

export interface WorkQueuesProps {
  /** Timeout of the executor that consumes the work queue. */
  readonly executorTimeout: Duration;
  /** Timeout of the function that consumes the dead-letter queue. */
  readonly deadLetterHandlerTimeout: Duration;
  /**
   * Visibility timeout of the work queue; must be at least six times `executorTimeout`.
   * @default 6 x executorTimeout
   */
  readonly visibilityTimeout?: Duration;
}

/** The visibility timeout is too short for the function that consumes the queue. */
export class VisibilityTimeoutError extends Error {
  override readonly name = 'VisibilityTimeoutError';
}

/**
 * The FIFO work queue and its FIFO dead-letter queue.
 *
 * - High-throughput FIFO: de-duplication and the throughput limit are per message group, and the
 *   scanner uses one group per execution, so no execution waits behind another.
 * - Content-based de-duplication is off: the scanner sends `MessageDeduplicationId =
 *   <executionId>:<attempt>` itself.
 * - Visibility is at least six times the executor's timeout (checked here, at synth time): a
 *   message must not reappear while an attempt that holds it may still be running, or Lambda's
 *   retries inside a batch would hand it to a second executor.
 * - After five receives a message goes to the DLQ, whose handler settles the execution.
 * - Both are encrypted with SQS-managed keys (no KMS request per message) and refuse non-TLS access.
 */
export class WorkQueues extends Construct {
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: WorkQueuesProps) {
    super(scope, id);
    const minimum = props.executorTimeout.toSeconds() * VISIBILITY_TO_TIMEOUT_RATIO;
    const visibilityTimeout = props.visibilityTimeout ?? Duration.seconds(minimum);
    if (visibilityTimeout.toSeconds() < minimum) {
      throw new VisibilityTimeoutError(
        `Work queue visibility timeout ${visibilityTimeout.toSeconds()} s is below ${VISIBILITY_TO_TIMEOUT_RATIO} x ` +
        `the executor timeout (${props.executorTimeout.toSeconds()} s = ${minimum} s)`);
    }

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      fifo: true,
      contentBasedDeduplication: false,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The DLQ handler settles messages within seconds; two weeks is the margin for a broken handler.
      retentionPeriod: Duration.days(14),
      visibilityTimeout: Duration.seconds(props.deadLetterHandlerTimeout.toSeconds() * VISIBILITY_TO_TIMEOUT_RATIO),
    });

    this.queue = new Queue(this, 'WorkQueue', {
      fifo: true,
      contentBasedDeduplication: false,
      deduplicationScope: DeduplicationScope.MESSAGE_GROUP,
      fifoThroughputLimit: FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout,
      // DynamoDB is the truth: an expired message is re-driven by the scanner's sweep.
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
  }
}
