import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { userKey } from './keys';

/** A user's webhook signing secrets as stored (values sealed by the caller). */
export interface StoredSigningSecrets {
  readonly current: string;
  readonly previous: string | null;
  readonly rotatedAt: string | null;
  readonly version: number;
}

export class DynamoSigningSecretStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(userId: string, consistent: boolean): Promise<StoredSigningSecrets | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: userKey(userId, 'SECRET'), ConsistentRead: consistent }),
    );
    if (!Item) return undefined;
    return {
      current: String(Item.current),
      previous: typeof Item.previous === 'string' ? Item.previous : null,
      rotatedAt: typeof Item.rotatedAt === 'string' ? Item.rotatedAt : null,
      version: Number(Item.version),
    };
  }

  /** Writes `next` if the stored version is still `expectedVersion` (0: none stored). */
  async put(userId: string, next: StoredSigningSecrets, expectedVersion: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...userKey(userId, 'SECRET'), ...next },
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
          ExpressionAttributeValues: expectedVersion === 0 ? undefined : { ':v': expectedVersion },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
