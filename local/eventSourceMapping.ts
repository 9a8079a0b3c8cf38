import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse } from 'aws-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ComponentHealth } from './apiServer';
import { createLambdaContext } from './lambdaContext';
import type { LocalFunction } from './lambdaContext';
import type { SqsHandler } from './lambdaHandlers';
import { queueArnFromUrl, toSqsRecord } from './sqsEvent';

export interface EventSourceMappingOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  /** @default derived from the queue URL */
  readonly queueArn?: string;
  readonly handler: SqsHandler;
  /** The function's name and timeout, for the Lambda context. */
  readonly fn: LocalFunction;
  /** Up to 10 (FIFO). @default 10 */
  readonly batchSize?: number;
  /** Concurrent pollers, each with at most one batch in flight. @default 1 */
  readonly pollers?: number;
  /** Long-poll wait; short so that stop() returns quickly. @default 1 */
  readonly waitTimeSeconds?: number;
  readonly log?: (message: string, error?: unknown) => void;
}

/** Counters, for tests and the health report. */
export interface EventSourceMappingStats {
  batches: number;
  records: number;
  deleted: number;
  failedRecords: number;
  handlerErrors: number;
  receiveErrors: number;
}

/**
 * Lambda's SQS event source mapping, in-process: pollers long-poll the queue, hand each batch to the
 * function as a real SQSEvent, and delete what succeeded. With partial batch responses on (Tock's
 * functions report `batchItemFailures`), the records listed there stay on the queue; a thrown error,
 * or a response naming a record that is not in the batch, leaves the whole batch. Left records come
 * back after the visibility timeout, and the queue's redrive policy moves them to the DLQ after
 * maxReceiveCount receives, exactly as on AWS.
 */
export class EventSourceMapping {
  readonly stats: EventSourceMappingStats = { batches: 0, records: 0, deleted: 0, failedRecords: 0, handlerErrors: 0, receiveErrors: 0 };
  private readonly queueArn: string;
  private readonly log: (message: string, error?: unknown) => void;
  private running = false;
  private stopping = false;
  private loops: Promise<void>[] = [];
  private lastReceiveError: string | undefined;

  constructor(private readonly options: EventSourceMappingOptions) {
    this.queueArn = options.queueArn ?? queueArnFromUrl(options.queueUrl);
    this.log = options.log ?? ((message, error) => console.error(message, error ?? ''));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    const pollers = Math.max(1, this.options.pollers ?? 1);
    this.loops = Array.from({ length: pollers }, () => this.poll());
  }

  /** Stops polling and waits (up to `timeoutMs`) for batches in flight to finish. */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    const finished = Promise.all(this.loops).then(() => true);
    const inTime = await Promise.race([finished, sleep(timeoutMs, false, { ref: false })]);
    if (!inTime) this.log(`${this.options.fn.functionName}: batches still running after ${timeoutMs} ms; stopping anyway`);
    this.running = false;
  }

  health(): ComponentHealth {
    if (!this.running || this.stopping) return { status: 'down', detail: 'not polling' };
    if (this.lastReceiveError) return { status: 'down', detail: this.lastReceiveError };
    return { status: 'ok' };
  }

  private async poll(): Promise<void> {
    while (!this.stopping) {
      let messages: Message[];
      try {
        const received = await this.options.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: this.options.queueUrl,
            MaxNumberOfMessages: Math.min(10, this.options.batchSize ?? 10),
            WaitTimeSeconds: this.options.waitTimeSeconds ?? 1,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        );
        messages = received.Messages ?? [];
        this.lastReceiveError = undefined;
      } catch (error) {
        this.stats.receiveErrors += 1;
        if (this.lastReceiveError === undefined) this.log(`${this.options.fn.functionName}: ReceiveMessage failed`, error);
        this.lastReceiveError = `ReceiveMessage failed: ${(error as Error).message}`;
        await sleep(1_000);
        continue;
      }
      if (messages.length === 0) continue;
      if (this.stopping) {
        await this.release(messages);
        return;
      }
      await this.processBatch(messages);
    }
  }

  private async processBatch(messages: Message[]): Promise<void> {
    this.stats.batches += 1;
    this.stats.records += messages.length;
    const records = messages.map((message) => toSqsRecord(message, this.queueArn));
    let response: SQSBatchResponse | void | undefined | null;
    try {
      response = await this.options.handler({ Records: records }, createLambdaContext(this.options.fn));
    } catch (error) {
      this.stats.handlerErrors += 1;
      this.stats.failedRecords += messages.length;
      this.log(`${this.options.fn.functionName}: handler failed; the batch of ${messages.length} returns after the visibility timeout`, error);
      return;
    }
    const failed = failedMessageIds(response, new Set(records.map((record) => record.messageId)));
    if (failed === 'invalid') {
      this.stats.failedRecords += messages.length;
      this.log(`${this.options.fn.functionName}: batchItemFailures names records not in the batch; the whole batch counts as failed`);
      return;
    }
    this.stats.failedRecords += failed.size;
    const done = messages.filter((message) => !failed.has(message.MessageId!));
    if (done.length === 0) return;
    try {
      const result = await this.options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: done.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! })),
        }),
      );
      this.stats.deleted += result.Successful?.length ?? 0;
      if (result.Failed?.length) this.log(`${this.options.fn.functionName}: could not delete ${result.Failed.length} processed messages`, result.Failed);
    } catch (error) {
      this.log(`${this.options.fn.functionName}: DeleteMessageBatch failed; processed messages will be redelivered`, error);
    }
  }

  /** Hands back messages received while stopping, so the next poller sees them at once. */
  private async release(messages: Message[]): Promise<void> {
    try {
      await this.options.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle!, VisibilityTimeout: 0 })),
        }),
      );
    } catch {
      // They come back after the visibility timeout anyway.
    }
  }
}

/**
 * The message ids a partial batch response reports as failed, or 'invalid' when Lambda would
 * treat the whole batch as failed (an identifier that is empty or not in the batch).
 */
export function failedMessageIds(response: unknown, batchIds: ReadonlySet<string>): Set<string> | 'invalid' {
  if (response === undefined || response === null || typeof response !== 'object') return new Set();
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return 'invalid';
  const ids = new Set<string>();
  for (const failure of failures) {
    const id = typeof failure === 'object' && failure !== null ? (failure as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof id !== 'string' || id === '' || !batchIds.has(id)) return 'invalid';
    ids.add(id);
  }
  return ids;
}
