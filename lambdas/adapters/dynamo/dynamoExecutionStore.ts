import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ExecutionRecord } from '../../domain/execution';
import { isTerminal } from '../../domain/execution';
import { parseExecutionId } from '../../domain/ids';
import type { ExecutionStore, Page } from '../../app/ports';
import { batchGetAll } from './batchGet';
import { decodeToken, encodeToken, executionSk, InvalidPageTokenError, taskPk } from './keys';

function keyOf(userId: string, taskId: string, executionId: string): { pk: string; sk: string } | undefined {
  const parsed = parseExecutionId(executionId);
  if (!parsed || parsed.taskId !== taskId) return undefined;
  return { pk: taskPk(userId, taskId), sk: executionSk(executionId, parsed.scheduledForMs) };
}

/** An execution as its table item: keys from its id, expiring `retentionDays` after its scheduled instant. */
export function executionItem(execution: ExecutionRecord, retentionDays: number): Record<string, unknown> {
  const key = keyOf(execution.userId, execution.taskId, execution.executionId);
  if (!key) throw new Error(`not an execution id: ${execution.executionId}`);
  const ttl = Math.floor(Date.parse(execution.scheduledFor) / 1000) + retentionDays * 86_400;
  return { ...key, ...execution, ttl };
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
    // Sweeps read these long after the fact: eventually consistent, one batch at a time.
    const records = (await batchGetAll(this.client, this.tableName, dynamoKeys, { consistent: false, inFlight: 1 })).map(toRecord);
    return records;
  }

  async list(userId: string, taskId: string, limit: number, cursor: string | undefined, includeSkipped = false): Promise<Page<ExecutionRecord>> {
    const pk = taskPk(userId, taskId);
    let start: Record<string, unknown> | undefined = decodeToken(cursor, ['pk', 'sk']);
    if (start && (start.pk !== pk || !String(start.sk).startsWith('X#'))) throw new InvalidPageTokenError();
    const items: ExecutionRecord[] = [];
    // Without the ledger, SKIPPED records are filtered out, so a page is refilled a few times.
    for (let round = 0; round < 5 && items.length < limit; round++) {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :x)',
          ExpressionAttributeValues: { ':pk': pk, ':x': 'X#', ...(includeSkipped ? {} : { ':skipped': 'SKIPPED' }) },
          ...(includeSkipped ? {} : { FilterExpression: '#status <> :skipped', ExpressionAttributeNames: { '#status': 'status' } }),
          ScanIndexForward: false,
          Limit: limit - items.length,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(out.Items ?? []).map(toRecord));
      start = out.LastEvaluatedKey;
      if (!start) break;
    }
    return { items, cursor: encodeToken(start) };
  }

  async latest(userId: string, taskId: string): Promise<ExecutionRecord | undefined> {
    const page = await this.list(userId, taskId, 1, undefined);
    return page.items[0];
  }

  async record(execution: ExecutionRecord): Promise<boolean> {
    const item = executionItem(execution, this.retentionDays);
    // A terminal record may also settle a RETRYING one of the same attempt: a retry cancelled
    // because the task was paused, or failed by the DLQ handler, adds no attempt of its own.
    const sameAttempt = isTerminal(execution.status) ? '(:pending, :running, :retrying)' : '(:pending, :running)';
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          // Records only move forward: a late writer of an older attempt, or anything after a
          // terminal state, changes nothing.
          ConditionExpression:
            'attribute_not_exists(pk) OR (#attempt < :attempt AND NOT #status IN (:ok, :failed, :cancelled, :skipped)) OR ' +
            `(#attempt = :attempt AND #status IN ${sameAttempt})`,
          ExpressionAttributeNames: { '#attempt': 'attempt', '#status': 'status' },
          ExpressionAttributeValues: {
            ':attempt': execution.attempt,
            ':ok': 'SUCCEEDED',
            ':failed': 'FAILED',
            ':cancelled': 'CANCELLED',
            ':skipped': 'SKIPPED',
            ':pending': 'PENDING',
            ':running': 'RUNNING',
            ...(isTerminal(execution.status) ? { ':retrying': 'RETRYING' } : {}),
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
