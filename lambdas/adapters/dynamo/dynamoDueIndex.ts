import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DueEntry, DueIndex } from '../../app/ports';
import { cursorKey, duePk, dueSk, minuteOf } from './keys';

/** Minute partitions read at once by a query that spans many. */
const MINUTES_IN_PARALLEL = 8;

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
    // An empty range: DynamoDB refuses a BETWEEN whose bounds are the wrong way round.
    if (toMs <= fromMs) return [];
    const minutes: number[] = [];
    for (let minute = minuteOf(fromMs + 1); minute <= minuteOf(toMs); minute++) minutes.push(minute);
    // A long range (the sweep after a restart, a scanner back after downtime) is one partition per
    // minute: read several at once, then put them back in order (oldest first).
    const byMinute: DueEntry[][] = new Array(minutes.length);
    let next = 0;
    const reader = async (): Promise<void> => {
      while (next < minutes.length) {
        const i = next++;
        byMinute[i] = await this.queryMinute(shard, minutes[i]!, fromMs, toMs);
      }
    };
    await Promise.all(Array.from({ length: Math.min(MINUTES_IN_PARALLEL, minutes.length) }, reader));
    return byMinute.flat();
  }

  private async queryMinute(shard: number, minute: number, fromMs: number, toMs: number): Promise<DueEntry[]> {
    const entries: DueEntry[] = [];
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
