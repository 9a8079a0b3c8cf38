import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * Due entries older than this are the scanner's sweep's business (its widest band is 15 min);
 * anything due later than `now - SWEEP_MARGIN` still needs its shard to be scanned.
 */
export const SWEEP_MARGIN_MS = 60 * 60 * 1000;

/** Partition key of a due entry: `D#<shard>#<epoch minute>` (docs/data-model.md). */
const DUE_PARTITION = /^D#(\d+)#(\d+)$/;

/**
 * Which of `shards` still hold due entries that fall due after `now - SWEEP_MARGIN_MS`.
 *
 * Due entries are partitioned per shard and minute and never deleted (they expire by TTL), so
 * there is no cheap "is this shard empty from now on" query: this scans the table's keys once
 * (a few cents of read units per 10 GB). Run it only when a drain bridge is about to be removed.
 */
export async function shardsWithPendingDueEntries(
  client: DynamoDBClient, tableName: string, shards: readonly number[], now: Date,
): Promise<Set<number>> {
  const wanted = new Set(shards);
  const pending = new Set<number>();
  const since = now.getTime() - SWEEP_MARGIN_MS;
  let exclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({
      TableName: tableName,
      ProjectionExpression: 'pk',
      FilterExpression: 'begins_with(pk, :due)',
      ExpressionAttributeValues: { ':due': { S: 'D#' } },
      ExclusiveStartKey: exclusiveStartKey,
    }));
    for (const item of page.Items ?? []) {
      const match = DUE_PARTITION.exec(item.pk?.S ?? '');
      if (!match) continue;
      const shard = Number(match[1]);
      const minuteEndMs = (Number(match[2]) + 1) * 60_000;
      if (wanted.has(shard) && minuteEndMs > since) pending.add(shard);
    }
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey && pending.size < wanted.size);
  return pending;
}
