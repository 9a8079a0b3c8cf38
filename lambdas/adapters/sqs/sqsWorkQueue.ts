import type { SQSClient } from '@aws-sdk/client-sqs';
import type { WorkMessage, WorkQueue } from '../../app/ports';

/**
 * The SDK's SQS module, imported when first needed: a bundle hoists every static import of an
 * external package to its top, where it would load at cold start (lambdas/runtime/lazyAdapters.ts).
 */
const sqsSdk = () => import('@aws-sdk/client-sqs');

/** Sends failed with a transient error are retried this many times before the send fails. */
const SEND_ROUNDS = 4;

/**
 * The FIFO work queue. Each message is its own message group, named by its de-duplication id
 * (execution and attempt; a re-drive adds its own suffix): nothing is ever held up behind another
 * message, not even one of the same execution stuck in an invocation that died (FIFO returns no
 * message of a group while one of it is in flight, for up to the visibility timeout, 9 minutes).
 * Order is not needed: the claim serializes the attempts of an execution.
 */
export class SqsWorkQueue implements WorkQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(messages: ReadonlyArray<{ message: WorkMessage; deduplicationId: string }>): Promise<void> {
    const { SendMessageBatchCommand } = await sqsSdk();
    for (let i = 0; i < messages.length; i += 10) {
      let batch = messages.slice(i, i + 10).map((m, j) => ({
        Id: String(j),
        MessageBody: JSON.stringify(m.message),
        MessageGroupId: m.deduplicationId,
        MessageDeduplicationId: m.deduplicationId,
      }));
      for (let round = 1; batch.length > 0; round++) {
        const out = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: batch }));
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        const permanent = (out.Failed ?? []).filter((f) => f.SenderFault);
        if (permanent.length > 0) throw new Error(`SQS refused ${permanent.length} messages: ${permanent[0]!.Message}`);
        batch = batch.filter((entry) => failed.has(entry.Id));
        if (batch.length > 0 && round >= SEND_ROUNDS) throw new Error(`SQS did not take ${batch.length} messages after ${round} tries`);
      }
    }
  }

  async createdAt(): Promise<string | null> {
    const { GetQueueAttributesCommand } = await sqsSdk();
    const out = await this.client.send(
      new GetQueueAttributesCommand({ QueueUrl: this.queueUrl, AttributeNames: ['CreatedTimestamp'] }),
    );
    return out.Attributes?.CreatedTimestamp ?? null;
  }
}
