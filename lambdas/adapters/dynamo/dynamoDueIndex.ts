import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DueEntry, DueIndex } from '../../app/ports';
import { cursorKey, duePk, dueSk, minuteOf } from './keys';

/** Due entries are never deleted by Tock: DynamoDB's TTL removes them for free after a week. */
const ENTRY_TTL_SECONDS = 7 * 24 * 3600;

export function dueEntryItem(entry: DueEntry): Record<string, unknown> {
  return {
    pk: duePk(entry.shard, minuteOf(entry.dueAt)),
    sk: dueSk(entry.dueAt, entry.taskId, entry.executionId, entry.attempt),
    ...entry,
    ttl: Math.floor(entry.dueAt / 1000) + ENTRY_TTL_SECONDS,
  };
}

function toEntry(item: Record<string, unknown>): DueEntry {
  return {
    shard: Number(item.shard),
    dueAt: Number(item.dueAt),
    userId: String(item.userId),
    taskId: String(item.taskId),
    executionId: String(item.executionId),
    scheduledFor: String(item.scheduledFor),
    attempt: Number(item.attempt),
    kind: item.kind as DueEntry['kind'],
    gen: Number(item.gen),
  };
}

/** The sharded due index: one partition per shard and minute. */
export class DynamoDueIndex implements DueIndex {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(entry: DueEntry): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: dueEntryItem(entry) }));
  }

  async query(shard: number, fromMs: number, toMs: number): Promise<DueEntry[]> {
    const entries: DueEntry[] = [];
    for (let minute = minuteOf(fromMs + 1); minute <= minuteOf(toMs); minute++) {
      let start: Record<string, unknown> | undefined;
      do {
        const out = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':pk': duePk(shard, minute),
              ':from': String(fromMs + 1).padStart(13, '0'),
              ':to': `${String(toMs).padStart(13, '0')}#\uffff`,
            },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of out.Items ?? []) entries.push(toEntry(item));
        start = out.LastEvaluatedKey;
      } while (start);
    }
    return entries;
  }

  async redirect(entry: DueEntry, executionId: string, scheduledFor: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: duePk(entry.shard, minuteOf(entry.dueAt)), sk: dueSk(entry.dueAt, entry.taskId, entry.executionId, entry.attempt) },
        UpdateExpression: 'SET executionId = :e, scheduledFor = :s',
        ExpressionAttributeValues: { ':e': executionId, ':s': scheduledFor },
      }),
    );
  }

  async getCursor(shard: number): Promise<{ through: number; queueCreatedAt: string | null } | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: cursorKey(shard), ConsistentRead: true }));
    if (!Item) return undefined;
    return { through: Number(Item.through), queueCreatedAt: typeof Item.queueCreatedAt === 'string' ? Item.queueCreatedAt : null };
  }

  async setCursor(shard: number, through: number, queueCreatedAt: string | null): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...cursorKey(shard), through, queueCreatedAt } }));
  }
}
