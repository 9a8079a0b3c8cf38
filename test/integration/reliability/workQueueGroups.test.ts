import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkMessage } from '../../../lambdas/app/ports';
import { reliabilityFixture } from './reliabilityFixture';
import type { ReliabilityFixture } from './reliabilityFixture';

/** The FIFO work queue (fauxqs) when a message of an execution is stuck in a dead invocation. */
let fx: ReliabilityFixture;

beforeAll(async () => {
  fx = await reliabilityFixture('work-queue-groups');
});

afterAll(() => fx?.clients.destroy());

async function receive(): Promise<WorkMessage[]> {
  const out = await fx.clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: fx.resources.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
  return (out.Messages ?? []).map((m) => JSON.parse(m.Body!) as WorkMessage);
}

describe('work queue message groups', () => {
  it('should deliver a re-drive of an execution while its first message is still in flight in a dead invocation', async () => {
    // Prepare: the hand-over is received by an executor that dies (never deleted, invisible for 5 s)
    const message: WorkMessage = { u: 'jo', t: 'tsk_01M8FP2218832WP3N1WZ7YABP1', e: 'exe_01M8FP2218832WP3N1WZ7YABP1_1795822794000', s: '2026-11-27T23:39:54.000Z', a: 1, d: 1795822794000, k: 'occurrence' };
    await fx.ports.queue.send([{ message, deduplicationId: `${message.e}:1` }]);
    expect((await receive()).map((m) => m.k)).toEqual(['occurrence']);

    // Act: the sweeper's watch for the same execution
    await fx.ports.queue.send([{ message: { ...message, k: 'watch' }, deduplicationId: `${message.e}:1:watch` }]);
    const redriven = await receive();

    // Assess: not held back behind the dead invocation's message
    expect(redriven.map((m) => m.k)).toEqual(['watch']);
  });
});
