import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { BucketWrite, RateBucketStore } from '../../app/requestRateLimiter';
import { userKey } from './keys';

/** An idle bucket is full again long before this; DynamoDB's TTL then removes its item for free. */
const IDLE_BUCKET_TTL_SECONDS = 3600;

/**
 * Per-user token buckets in the single table (`U#<userId>` / `RATE`, attribute `tat` in µs).
 * Every write is one conditional UpdateItem; a failed condition returns the current `tat`
 * (ReturnValuesOnConditionCheckFailure), so the caller never needs a read.
 *
 *   instance A: tat 100 ─ spend 10 if tat <= 190 ─► tat 110
 *   instance B: tat 100 ─ spend 95 if tat <= 105 ─► refused, told tat = 110 ─► spend fewer, or 429
 */
export class DynamoRateBucketStore implements RateBucketStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  spendFromFull(userId: string, nowUs: number, costUs: number): Promise<BucketWrite> {
    return this.write(userId, 'SET #tat = :next, #ttl = :ttl', 'attribute_not_exists(#tat) OR #tat <= :now', {
      ':next': nowUs + costUs,
      ':now': nowUs,
      ':ttl': ttlFor(nowUs + costUs),
    });
  }

  spendFromPartial(userId: string, nowUs: number, costUs: number, highestTatUs: number): Promise<BucketWrite> {
    return this.write(userId, 'SET #tat = #tat + :cost, #ttl = :ttl', '#tat > :now AND #tat <= :highest', {
      ':cost': costUs,
      ':now': nowUs,
      ':highest': highestTatUs,
      ':ttl': ttlFor(highestTatUs + costUs),
    });
  }

  private async write(userId: string, update: string, condition: string, values: Record<string, number>): Promise<BucketWrite> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: userKey(userId, 'RATE'),
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#tat': 'tat', '#ttl': 'ttl' },
          ExpressionAttributeValues: values,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { written: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const tat = error.Item ? unmarshall(error.Item).tat : undefined;
      return { written: false, tatUs: typeof tat === 'number' ? tat : undefined };
    }
  }
}

function ttlFor(tatUs: number): number {
  return Math.ceil(tatUs / 1_000_000) + IDLE_BUCKET_TTL_SECONDS;
}
