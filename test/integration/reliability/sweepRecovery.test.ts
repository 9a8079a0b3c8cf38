import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkMessage, WorkQueue } from '../../../lambdas/app/ports';
import { SweepPlanner } from '../../../lambdas/app/sweepPlanner';
import { ShardScanner } from '../../../lambdas/app/shardScanner';
import { executorOf, offsetClock, realSleep } from '../../chaos/inProcessApp';
import { OK, reliabilityFixture, scriptedTarget, SHARDS } from './reliabilityFixture';
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

  it('should take over an attempt that died holding its lease as soon as the lease runs out', async () => {
    // Prepare: attempt 1 is killed mid-request (as by kill -9 of the whole stack)
    const { taskId, message } = await fx.oneShot('erin');
    const target = scriptedTarget(['hang', OK]);
    void executorOf(fx.ports, { shardCount: SHARDS, deliver: target.deliver }).execute(message);
    await target.firstCall;
    const lease = (await fx.ports.tasks.getHead('erin', taskId, true))!.running[message.e]!;
    const queue = recordingQueue(0);

    // Act: a sweep (after a restart) finds the lease live; a scanner runs when it has run out
    await new SweepPlanner({ ...fx.ports, queue, clock: offsetClock(0) }, () => Promise.resolve()).sweep(0, message.d - 60_000, Date.now(), 'q2');
    const sentWhileLive = queue.sent.filter((m) => m.e === message.e);
    const lateClock = offsetClock(lease.leaseUntil + 300 - Date.now());
    await new ShardScanner({ ...fx.ports, queue, clock: lateClock, sleep: realSleep }).run(0, 1_500);
    const watch = queue.sent.find((m) => m.k === 'watch');
    await executorOf(fx.ports, { shardCount: SHARDS, deliver: target.deliver, clock: lateClock }).execute(watch!);

    // Assess
    expect(sentWhileLive).toEqual([]);
    expect(watch).toMatchObject({ e: message.e, a: 1, d: lease.leaseUntil + 1 });
    expect(target.calls.map((call) => call.attempt)).toEqual([1, 2]);
    const record = await fx.ports.executions.get('erin', taskId, message.e, true);
    expect(record?.status).toBe('SUCCEEDED');
    expect(record?.attempts.map((a) => a.outcome)).toEqual(['LOST', 'SUCCEEDED']);
  });
});
