import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ExecutionRecord } from '../../domain/execution';
import { parseExecutionId } from '../../domain/ids';
import type { ExecutionStore, Page } from '../../app/ports';
import { decodeToken, encodeToken, executionSk, InvalidPageTokenError, taskPk } from './keys';

function keyOf(userId: string, taskId: string, executionId: string): { pk: string; sk: string } | undefined {
  const parsed = parseExecutionId(executionId);
  if (!parsed || parsed.taskId !== taskId) return undefined;
  return { pk: taskPk(userId, taskId), sk: executionSk(executionId, parsed.scheduledForMs) };
}

function toRecord(item: Record<string, unknown>): ExecutionRecord {
  const { pk: _pk, sk: _sk, ttl: _ttl, ...rest } = item;
  return rest as unknown as ExecutionRecord;
}

/** Execution records live in their task's partition, newest last by sort key. */
export class DynamoExecutionStore implements ExecutionStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionDays: number,
  ) {}

  async get(userId: string, taskId: string, executionId: string, consistent: boolean): Promise<ExecutionRecord | undefined> {
    const key = keyOf(userId, taskId, executionId);
    if (!key) return undefined;
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: consistent }));
    return Item ? toRecord(Item) : undefined;
  }

  async getMany(keys: ReadonlyArray<{ userId: string; taskId: string; executionId: string }>): Promise<ExecutionRecord[]> {
    const dynamoKeys = [...new Map(keys.flatMap((k) => {
      const key = keyOf(k.userId, k.taskId, k.executionId);
      return key ? [[`${key.pk}|${key.sk}`, key] as const] : [];
    })).values()];
    const records: ExecutionRecord[] = [];
    for (let i = 0; i < dynamoKeys.length; i += 100) {
      let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
        [this.tableName]: { Keys: dynamoKeys.slice(i, i + 100) },
      };
      while (request && Object.keys(request).length > 0) {
        const out = await this.client.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of out.Responses?.[this.tableName] ?? []) records.push(toRecord(item));
        request = out.UnprocessedKeys as typeof request;
      }
    }
    return records;
  }

  async list(userId: string, taskId: string, limit: number, cursor: string | undefined): Promise<Page<ExecutionRecord>> {
    const pk = taskPk(userId, taskId);
    const start = decodeToken(cursor);
    if (start && start.pk !== pk) throw new InvalidPageTokenError();
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :x)',
        ExpressionAttributeValues: { ':pk': pk, ':x': 'X#' },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    );
    return { items: (out.Items ?? []).map(toRecord), cursor: encodeToken(out.LastEvaluatedKey) };
  }

  async latest(userId: string, taskId: string): Promise<ExecutionRecord | undefined> {
    const page = await this.list(userId, taskId, 1, undefined);
    return page.items[0];
  }

  async record(execution: ExecutionRecord): Promise<boolean> {
    const key = keyOf(execution.userId, execution.taskId, execution.executionId);
    if (!key) throw new Error(`not an execution id: ${execution.executionId}`);
    const ttl = Math.floor(Date.parse(execution.scheduledFor) / 1000) + this.retentionDays * 86_400;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, ...execution, ttl },
          // Records only move forward: a late writer of an older attempt, or anything after a
          // terminal state, changes nothing.
          ConditionExpression:
            'attribute_not_exists(pk) OR (#attempt < :attempt AND NOT #status IN (:ok, :failed, :cancelled)) OR ' +
            '(#attempt = :attempt AND #status IN (:pending, :running))',
          ExpressionAttributeNames: { '#attempt': 'attempt', '#status': 'status' },
          ExpressionAttributeValues: {
            ':attempt': execution.attempt,
            ':ok': 'SUCCEEDED',
            ':failed': 'FAILED',
            ':cancelled': 'CANCELLED',
            ':pending': 'PENDING',
            ':running': 'RUNNING',
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
