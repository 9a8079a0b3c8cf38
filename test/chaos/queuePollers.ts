import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { WorkMessage } from '../../lambdas/app/ports';
import type { DeadLetterSettler, Settlement } from '../../lambdas/app/deadLetterSettler';
import type { ExecutorInvoker } from './executorInvoker';
import type { FaultInjector } from './faultInjector';
import { realSleep } from './inProcessApp';

/**
 * Stands in for Lambda's event source mapping on the work queue, and is where delivery faults
 * enter: each received message may be duplicated (at once or seconds later), delayed, reordered
 * within its batch, or lost. A message is deleted only when its invocation finished; otherwise it
 * comes back after the visibility timeout, as on AWS.
 */
export class WorkQueuePoller {
  private stopping = false;
  private loops: Promise<void>[] = [];
  private readonly copies = new Set<Promise<unknown>>();
  receiveErrors = 0;

  constructor(
    private readonly deps: {
      readonly sqs: SQSClient;
      readonly queueUrl: string;
      readonly invoker: ExecutorInvoker;
      readonly faults: FaultInjector;
      readonly pollers: number;
    },
  ) {}

  start(): void {
    this.loops = Array.from({ length: this.deps.pollers }, () => this.poll());
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops);
  }

  private async poll(): Promise<void> {
    const { sqs, queueUrl, faults } = this.deps;
    while (!this.stopping) {
      let messages: Message[];
      try {
        const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        messages = out.Messages ?? [];
      } catch {
        this.receiveErrors += 1;
        await realSleep(200);
        continue;
      }
      if (messages.length === 0) continue;
      let stagger = 0;
      if (messages.length > 1 && faults.chance(faults.rates.reorder)) {
        faults.count('delivery-reorder');
        messages = [...messages].reverse();
        stagger = faults.between(50, 400);
      }
      // Like the executor handler: the batch's records in parallel, the poller waits for all.
      await Promise.all(messages.map((message, i) => this.handle(message, i * stagger)));
    }
  }

  private async handle(raw: Message, offsetMs: number): Promise<void> {
    const { faults, invoker } = this.deps;
    const message = JSON.parse(raw.Body ?? '{}') as WorkMessage;
    faults.event(message.e, `received a=${message.a} (${raw.MessageId?.slice(0, 8)})`);
    if (faults.chance(faults.rates.lost)) {
      faults.count('message-lost');
      faults.event(message.e, 'message lost (as if it expired)');
      await this.delete(raw);
      return;
    }
    if (faults.chance(faults.rates.duplicate)) {
      faults.count('delivery-duplicate');
      this.copy(message, faults.between(0, 1_500));
    }
    if (faults.chance(faults.rates.lateDuplicate)) {
      faults.count('delivery-late-duplicate');
      this.copy(message, faults.between(4_000, 10_000));
    }
    let wait = offsetMs;
    if (faults.chance(faults.rates.delay)) {
      faults.count('delivery-delay');
      wait += faults.between(300, 3_000);
      faults.event(message.e, `delivery delayed ${wait} ms`);
    }
    if (wait > 0) await realSleep(wait);
    const outcome = await invoker.invoke(message);
    if (outcome === 'done') await this.delete(raw);
  }

  /** A second delivery of the same message (SQS is at-least-once). */
  private copy(message: WorkMessage, afterMs: number): void {
    const copy = realSleep(afterMs).then(() => (this.stopping ? undefined : this.deps.invoker.invoke(message)));
    this.copies.add(copy);
    void copy.finally(() => this.copies.delete(copy));
  }

  private async delete(raw: Message): Promise<void> {
    try {
      await this.deps.sqs.send(new DeleteMessageCommand({ QueueUrl: this.deps.queueUrl, ReceiptHandle: raw.ReceiptHandle }));
    } catch {
      // Not deleted: it comes back after the visibility timeout, one more duplicate.
    }
  }
}

/** The DLQ's event source mapping: each dead letter goes to the real DeadLetterSettler. */
export class DeadLetterPoller {
  readonly settlements = new Map<Settlement | 'error', number>();
  private stopping = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: { readonly sqs: SQSClient; readonly queueUrl: string; readonly settler: DeadLetterSettler },
  ) {}

  start(): void {
    this.loop = this.poll();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
  }

  private async poll(): Promise<void> {
    const { sqs, queueUrl, settler } = this.deps;
    while (!this.stopping) {
      let messages: Message[];
      try {
        const out = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }),
        );
        messages = out.Messages ?? [];
      } catch {
        await realSleep(200);
        continue;
      }
      for (const raw of messages) {
        let settlement: Settlement | 'error';
        try {
          settlement = await settler.settle(JSON.parse(raw.Body ?? '{}') as WorkMessage, Number(raw.Attributes?.ApproximateReceiveCount ?? 0));
        } catch {
          settlement = 'error';
        }
        this.settlements.set(settlement, (this.settlements.get(settlement) ?? 0) + 1);
        if (settlement === 'error' || settlement === 'in-flight') continue;
        try {
          await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: raw.ReceiptHandle }));
        } catch {
          // Settled twice at worst: settling is idempotent.
        }
      }
    }
  }
}
