import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkMessage, WorkQueue } from '../../../lambdas/app/ports';
import { SweepPlanner } from '../../../lambdas/app/sweepPlanner';
import { offsetClock } from '../../chaos/inProcessApp';
import { reliabilityFixture } from './reliabilityFixture';
import type { ReliabilityFixture } from './reliabilityFixture';

/** Re-drive from the truth (invariant 4) when the re-drive itself is interrupted. */
let fx: ReliabilityFixture;

beforeAll(async () => {
  fx = await reliabilityFixture('sweep-recovery');
});

afterAll(() => fx?.clients.destroy());

/** A work queue that records what it is sent and refuses the first `failures` sends. */
function recordingQueue(failures: number): WorkQueue & { sent: WorkMessage[] } {
  let refused = 0;
  const sent: WorkMessage[] = [];
  return {
    sent,
    send(messages) {
      if (refused < failures) {
        refused += 1;
        return Promise.reject(new Error('SQS: 503 Service Unavailable'));
      }
      sent.push(...messages.map((m) => m.message));
      return Promise.resolve();
    },
    createdAt: () => Promise.resolve('1'),
  };
}

describe('sweeps', () => {
  it('should re-send on the next pass what a failed send left behind, not wait for the next band', async () => {
    // Prepare
    const { message } = await fx.oneShot('dave');
    const queue = recordingQueue(1);
    const sweeps = new SweepPlanner({ ...fx.ports, queue, clock: offsetClock(0) }, () => Promise.resolve());
    const from = message.d - 60_000;
    const to = Date.now() + 5_000;

    // Act
    await expect(sweeps.sweep(0, from, to, 'b30000')).rejects.toThrow(/503/);
    const redriven = await sweeps.sweep(0, from, to, 'b30000');

    // Assess
    expect(redriven).toBe(1);
    expect(queue.sent.map((m) => m.e)).toEqual([message.e]);
  });
});
