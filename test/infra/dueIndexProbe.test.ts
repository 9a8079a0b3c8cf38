import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { shardsWithPendingDueEntries } from '../../infra/ops/dueIndexProbe';

const dynamo = mockClient(DynamoDBClient);
const NOW = new Date('2026-12-01T10:00:00.000Z');
const minute = (date: Date): number => Math.floor(date.getTime() / 60_000);
const due = (shard: number, at: Date): { pk: { S: string } } => ({ pk: { S: `D#${shard}#${minute(at)}` } });

afterEach(() => dynamo.reset());

describe('shardsWithPendingDueEntries', () => {
  it('should report shards with entries due after the sweep margin, across pages', async () => {
    dynamo.on(ScanCommand)
      .resolvesOnce({
        Items: [due(2, new Date(NOW.getTime() - 2 * 3_600_000)), { pk: { S: 'T#alice#tsk_1' } }],
        LastEvaluatedKey: { pk: { S: 'x' }, sk: { S: 'y' } },
      })
      .resolvesOnce({ Items: [due(3, new Date(NOW.getTime() + 86_400_000)), due(1, NOW)] });

    const pending = await shardsWithPendingDueEntries(new DynamoDBClient({}), 'tock-main', [2, 3], NOW);

    expect([...pending]).toEqual([3]);
    expect(dynamo.commandCalls(ScanCommand)).toHaveLength(2);
    expect(dynamo.commandCalls(ScanCommand)[1]!.args[0].input.ExclusiveStartKey).toEqual({ pk: { S: 'x' }, sk: { S: 'y' } });
  });

  it('should count an entry due a few minutes ago, which the sweep may still need to re-send', async () => {
    dynamo.on(ScanCommand).resolves({ Items: [due(4, new Date(NOW.getTime() - 10 * 60_000))] });

    expect([...await shardsWithPendingDueEntries(new DynamoDBClient({}), 't', [4], NOW)]).toEqual([4]);
  });
});
