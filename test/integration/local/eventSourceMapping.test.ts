import { GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { EventSourceMapping } from '../../../local/eventSourceMapping';
import type { EventSourceMappingOptions } from '../../../local/eventSourceMapping';
import { LOCAL_FUNCTIONS } from '../../../local/lambdaContext';
import { localClientConfig } from '../../../local/localAws';
import type { SqsHandler } from '../../../local/lambdaHandlers';
import { createTestResources, localServices, uniquePrefix } from '../../support/localServices';
import type { TestResources } from '../../support/localServices';

const mappings: EventSourceMapping[] = [];
const quiet = (): void => undefined;

afterEach(async () => {
  await Promise.all(mappings.splice(0).map((mapping) => mapping.stop(5_000)));
});

function sqs(): SQSClient {
  return new SQSClient(localClientConfig(localServices().sqs));
}

async function send(queueUrl: string, ids: readonly string[]): Promise<void> {
  await sqs().send(
    new SendMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: ids.map((id) => ({
        Id: id,
        MessageBody: JSON.stringify({ id }),
        MessageGroupId: `group-${id}`,
        MessageDeduplicationId: `dedup-${id}`,
        MessageAttributes: { kind: { DataType: 'String', StringValue: `kind-${id}` } },
      })),
    }),
  );
}

async function messagesLeft(queueUrl: string): Promise<number> {
  const { Attributes } = await sqs().send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}

function startMapping(resources: TestResources, handler: SqsHandler, overrides: Partial<EventSourceMappingOptions> = {}): EventSourceMapping {
  const mapping = new EventSourceMapping({
    sqs: sqs(),
    queueUrl: resources.queueUrl,
    queueArn: resources.queueArn,
    handler,
    fn: LOCAL_FUNCTIONS.executor,
    pollers: 1,
    log: quiet,
    ...overrides,
  });
  mappings.push(mapping);
  mapping.start();
  return mapping;
}

/** Records every record the handler saw, by body id. */
function recorder() {
  const seen: SQSRecord[] = [];
  const countOf = (id: string): number => seen.filter((record) => JSON.parse(record.body).id === id).length;
  return { seen, countOf };
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('event source mapping (SQS -> Lambda)', () => {
  it('should hand the function a real SQSEvent with every record field Lambda sets', async () => {
    // Prepare
    const resources = await createTestResources(uniquePrefix('esm-shape'));
    const events: SQSEvent[] = [];
    const remaining: number[] = [];
    const functionNames: string[] = [];
    await send(resources.queueUrl, ['a']);

    // Act
    startMapping(resources, async (event, context) => {
      events.push(event);
      remaining.push(context.getRemainingTimeInMillis());
      functionNames.push(context.functionName);
    });
    await until(() => events.length === 1, 10_000, 'one batch');

    // Assess
    const record = events[0]!.Records[0]!;
    expect(record).toEqual({
      messageId: expect.any(String),
      receiptHandle: expect.any(String),
      body: '{"id":"a"}',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: expect.stringMatching(/^\d{13}$/),
        SenderId: expect.any(String),
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
        SequenceNumber: expect.stringMatching(/^\d+$/),
        MessageGroupId: 'group-a',
        MessageDeduplicationId: 'dedup-a',
      },
      messageAttributes: { kind: { stringValue: 'kind-a', stringListValues: [], binaryListValues: [], dataType: 'String' } },
      md5OfBody: createHash('md5').update('{"id":"a"}').digest('hex'),
      md5OfMessageAttributes: expect.any(String),
      eventSource: 'aws:sqs',
      eventSourceARN: resources.queueArn,
      awsRegion: 'us-east-1',
    });
    expect(functionNames).toEqual(['tock-executor']);
    expect(remaining[0]).toBeGreaterThan(80_000);
  });

  it('should delete only the records not listed in batchItemFailures', async () => {
    // Prepare
    const resources = await createTestResources(uniquePrefix('esm-partial'), { visibilityTimeoutSeconds: 1 });
    await send(resources.queueUrl, ['ok1', 'fail', 'ok2']);
    const { seen, countOf } = recorder();
    let failedOnce = false;

    // Act
    const mapping = startMapping(resources, async (event): Promise<SQSBatchResponse> => {
      seen.push(...event.Records);
      const failing = event.Records.filter((record) => JSON.parse(record.body).id === 'fail' && !failedOnce);
      if (failing.length > 0) failedOnce = true;
      return { batchItemFailures: failing.map((record) => ({ itemIdentifier: record.messageId })) };
    });
    await until(() => countOf('fail') === 2, 10_000, 'the failed record to come back');
    await sleep(1_500); // longer than the visibility timeout: a kept success would be back by now

    // Assess
    expect(countOf('ok1')).toBe(1);
    expect(countOf('ok2')).toBe(1);
    expect(seen.filter((record) => JSON.parse(record.body).id === 'fail').map((record) => record.attributes.ApproximateReceiveCount)).toEqual(['1', '2']);
    expect(await messagesLeft(resources.queueUrl)).toBe(0);
    expect(mapping.stats.failedRecords).toBe(1);
  });

  it('should delete nothing when the function throws, so the whole batch comes back', async () => {
    // Prepare
    const resources = await createTestResources(uniquePrefix('esm-throw'), { visibilityTimeoutSeconds: 1 });
    await send(resources.queueUrl, ['x', 'y', 'z']);
    const { seen, countOf } = recorder();
    let calls = 0;

    // Act
    startMapping(resources, async (event) => {
      seen.push(...event.Records);
      calls += 1;
      if (calls === 1) throw new Error('executor crashed');
    });
    await until(() => ['x', 'y', 'z'].every((id) => countOf(id) === 2), 10_000, 'every record to come back');

    // Assess
    const second = seen.filter((record) => record.attributes.ApproximateReceiveCount === '2');
    expect(second.map((record) => JSON.parse(record.body).id).sort()).toEqual(['x', 'y', 'z']);
    await until(async () => (await messagesLeft(resources.queueUrl)) === 0, 5_000, 'the queue to be empty');
  });

  it('should keep the whole batch when batchItemFailures names a record that is not in it', async () => {
    // Prepare
    const resources = await createTestResources(uniquePrefix('esm-invalid'), { visibilityTimeoutSeconds: 1 });
    await send(resources.queueUrl, ['p', 'q']);
    const { seen, countOf } = recorder();

    // Act
    startMapping(resources, async (event): Promise<SQSBatchResponse> => {
      seen.push(...event.Records);
      return seen.length <= 2 ? { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] } : { batchItemFailures: [] };
    });
    await until(() => countOf('p') === 2 && countOf('q') === 2, 10_000, 'both records to come back');

    // Assess
    expect(await messagesLeft(resources.queueUrl)).toBe(0);
  });

  it('should move a message to the DLQ after maxReceiveCount failed receives and feed it to the DLQ function', async () => {
    // Prepare
    const resources = await createTestResources(uniquePrefix('esm-redrive'), { visibilityTimeoutSeconds: 1 });
    await send(resources.queueUrl, ['poison']);
    const receiveCounts: string[] = [];
    const dlqRecords: SQSRecord[] = [];

    // Act
    startMapping(resources, async (event) => {
      receiveCounts.push(...event.Records.map((record) => record.attributes.ApproximateReceiveCount));
      throw new Error('poison message');
    });
    startMapping(
      resources,
      async (event) => {
        dlqRecords.push(...event.Records);
      },
      { queueUrl: resources.dlqUrl, queueArn: resources.dlqArn, fn: LOCAL_FUNCTIONS.dlq },
    );
    await until(() => dlqRecords.length === 1, 20_000, 'the DLQ function to get the message');

    // Assess
    expect(receiveCounts).toEqual(['1', '2', '3', '4', '5']);
    expect(dlqRecords[0]).toMatchObject({ body: '{"id":"poison"}', eventSourceARN: resources.dlqArn, attributes: { MessageGroupId: 'group-poison' } });
    expect(await messagesLeft(resources.queueUrl)).toBe(0);
    await until(async () => (await messagesLeft(resources.dlqUrl)) === 0, 5_000, 'the DLQ to be drained');
  });

  it('should drain a burst with several pollers working in parallel', async () => {
    // Prepare
    const resources = await createTestResources(uniquePrefix('esm-burst'));
    const ids = Array.from({ length: 40 }, (_, index) => `m${index}`);
    for (let index = 0; index < ids.length; index += 10) await send(resources.queueUrl, ids.slice(index, index + 10));
    const { seen } = recorder();
    let inFlight = 0;
    let maxInFlight = 0;

    // Act
    startMapping(
      resources,
      async (event) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await sleep(150);
        seen.push(...event.Records);
        inFlight -= 1;
      },
      { pollers: 4 },
    );
    await until(() => seen.length >= ids.length, 15_000, 'all 40 messages');

    // Assess
    expect(new Set(seen.map((record) => JSON.parse(record.body).id)).size).toBe(40);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(4);
  });

  it('should let the batch in flight finish and delete it when stopped', async () => {
    // Prepare
    const resources = await createTestResources(uniquePrefix('esm-stop'), { visibilityTimeoutSeconds: 1 });
    await send(resources.queueUrl, ['slow']);
    let started = false;
    let finished = false;
    const mapping = startMapping(resources, async () => {
      started = true;
      await sleep(700);
      finished = true;
    });
    await until(() => started, 10_000, 'the batch to start');

    // Act
    await mapping.stop();

    // Assess
    expect(finished).toBe(true);
    expect(mapping.health().status).toBe('down');
    await sleep(1_200);
    expect(await messagesLeft(resources.queueUrl)).toBe(0);
  });
});
