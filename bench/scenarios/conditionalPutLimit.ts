import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { randomBytes } from 'node:crypto';
import { localClientConfig } from '../../local/localAws';
import { round } from '../support/stats';

/**
 * The local physical limit: how many conditional puts per second the stack's DynamoDB Local takes
 * at 32 in flight, from this process, with items the size of an execution record. One table for
 * all samples: creating a table in DynamoDB Local stalls it for a moment.
 */
export class ConditionalPutProbe {
  private sequence = 0;

  private constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  static async create(endpoint: string): Promise<ConditionalPutProbe> {
    const client = new DynamoDBClient({ ...localClientConfig(endpoint), maxAttempts: 1 });
    const table = `bench-limit-${randomBytes(4).toString('hex')}`;
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    return new ConditionalPutProbe(client, table);
  }

  /** Puts per second over `seconds`, after one second of warm-up. */
  async measure(seconds: number, concurrency = 32): Promise<number> {
    const body = 'x'.repeat(400);
    const put = () =>
      this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: { pk: { S: `T#bench#${this.sequence++}` }, sk: { S: 'X#0000000000000#exe' }, status: { S: 'SUCCEEDED' }, body: { S: body } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    const run = async (ms: number): Promise<number> => {
      let done = 0;
      const until = Date.now() + ms;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (Date.now() < until) {
            await put();
            done++;
          }
        }),
      );
      return done;
    };
    await run(1_000);
    const started = Date.now();
    const done = await run(seconds * 1000);
    return round(done / ((Date.now() - started) / 1000));
  }

  async dispose(): Promise<void> {
    await this.client.send(new DeleteTableCommand({ TableName: this.table })).catch(() => undefined);
    this.client.destroy();
  }
}
