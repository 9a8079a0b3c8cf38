import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { runLimited } from '../../app/runLimited';

/** BatchGetItem's limit of keys per call. */
const KEYS_PER_CALL = 100;

/**
 * Every item of `keys` that exists, in any order: 100 keys a call, `inFlight` calls at once, and
 * keys left unprocessed (throttling) asked for again after an exponential backoff, as DynamoDB advises.
 */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: ReadonlyArray<Record<string, unknown>>,
  options: { readonly consistent: boolean; readonly inFlight: number },
): Promise<Record<string, unknown>[]> {
  const chunks: Array<ReadonlyArray<Record<string, unknown>>> = [];
  for (let i = 0; i < keys.length; i += KEYS_PER_CALL) chunks.push(keys.slice(i, i + KEYS_PER_CALL));
  const items: Record<string, unknown>[] = [];
  await runLimited(chunks, options.inFlight, async (chunk) => {
    let pending: Record<string, unknown>[] = [...chunk];
    for (let round = 0; pending.length > 0; round++) {
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** Math.min(round, 6)));
      const out = await client.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: options.consistent } } }));
      items.push(...(out.Responses?.[tableName] ?? []));
      pending = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  });
  return items;
}
