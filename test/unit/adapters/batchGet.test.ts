import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { batchGetAll } from '../../../lambdas/adapters/dynamo/batchGet';

const documents = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const keys = (n: number) => Array.from({ length: n }, (_, i) => ({ pk: `T#u#tsk_${i}`, sk: 'HEAD' }));

afterEach(() => documents.reset());

describe('batchGetAll', () => {
  it('should read 250 keys in calls of at most 100, with the consistency asked for', async () => {
    // Prepare
    documents.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: Record<string, unknown>[] }> }) => ({
      Responses: { main: input.RequestItems.main!.Keys.map((k) => ({ ...k, found: true })) },
    }));

    // Act
    const items = await batchGetAll(client, 'main', keys(250), { consistent: true, inFlight: 3 });

    // Assess
    const calls = documents.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems!.main!);
    expect(calls.map((c) => c.Keys!.length).sort((a, b) => a - b)).toEqual([50, 100, 100]);
    expect(calls.every((c) => c.ConsistentRead === true)).toBe(true);
    expect(items.map((i) => i.pk).sort()).toEqual(keys(250).map((k) => k.pk).sort());
  });

  it('should ask again for the keys DynamoDB left unprocessed (throttling) until all are read', async () => {
    // Prepare
    const all = keys(3);
    documents
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { main: [all[0]!] }, UnprocessedKeys: { main: { Keys: [all[1]!, all[2]!] } } })
      .resolvesOnce({ Responses: { main: [all[1]!] }, UnprocessedKeys: { main: { Keys: [all[2]!] } } })
      .resolvesOnce({ Responses: { main: [all[2]!] } });

    // Act
    const items = await batchGetAll(client, 'main', all, { consistent: false, inFlight: 1 });

    // Assess
    const calls = documents.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems!.main!.Keys);
    expect(calls).toEqual([all, [all[1], all[2]], [all[2]]]);
    expect(items).toEqual(all);
  });
});
