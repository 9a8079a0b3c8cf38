import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoTaskStore } from '../../../lambdas/adapters/dynamo/dynamoTaskStore';
import type { TaskHead } from '../../../lambdas/domain/task';
import type { ExecutionRecord } from '../../../lambdas/domain/execution';

const documents = mockClient(DynamoDBDocumentClient);
const store = new DynamoTaskStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'main', undefined, 30);
afterEach(() => documents.reset());

const T = '2026-11-27T12:00:00.000Z';
const head = { userId: 'uma', taskId: 'tsk_01M8FS49CNN31RQKJ0DK0QHYX5', gen: 3, running: {} } as unknown as TaskHead;
const skip: ExecutionRecord = {
  executionId: 'exe_01M8FS49CNN31RQKJ0DK0QHYX5_1795824000000', taskId: head.taskId, userId: 'uma', kind: 'scheduled', scheduledFor: T,
  status: 'SKIPPED', attempt: 0, attempts: [], startedAt: null, finishedAt: null, result: null, error: null, nextAttemptAt: null,
};
const next = { nextRunAt: '2026-11-27T12:01:00.000Z', runCount: 0, status: 'ACTIVE' as const, statusReason: null, removeLeases: [], lastHandedOver: null, buffered: null, skip };
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

describe('DynamoTaskStore.advance with a skip record', () => {
  it('should write the move and the skip in one transaction, and try again after a collision with an executor', async () => {
    // Prepare
    documents.on(TransactWriteCommand).rejectsOnce(cancelled('TransactionConflict', 'None')).resolves({});

    // Act
    const moved = await store.advance(head, T, next);

    // Assess
    expect(moved).toBe(true);
    const calls = documents.commandCalls(TransactWriteCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.args[0].input.TransactItems!.map((i) => Object.keys(i)[0])).toEqual(['Update', 'Put']);
    expect(calls[1]!.args[0].input.TransactItems![1]!.Put!.Item).toMatchObject({ status: 'SKIPPED', executionId: skip.executionId });
  });

  it('should report that another scanner moved the task first when the move is refused', async () => {
    // Prepare
    documents.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));

    // Act
    const moved = await store.advance(head, T, next);

    // Assess
    expect(moved).toBe(false);
    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });
});
