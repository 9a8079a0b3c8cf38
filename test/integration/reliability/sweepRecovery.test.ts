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

  it('should re-send at once an execution whose takeover died after writing its history, its message gone', async () => {
    // Prepare: attempt 1 killed mid-request; the takeover records the loss and dies before its new lease
    const { taskId, message } = await fx.oneShot('ivy');
    const target = scriptedTarget(['hang', OK]);
    void executorOf(fx.ports, { shardCount: SHARDS, deliver: target.deliver }).execute(message);
    await target.firstCall;
    const later = offsetClock(60_000);
    const executions = new Proxy(fx.ports.executions, {
      get(store, property) {
        if (property === 'record') return async (...args: Parameters<typeof store.record>) => (await store.record(...args), Promise.reject(new Error('killed')));
        const value = Reflect.get(store, property) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(store) : value;
      },
    });
    await expect(executorOf({ ...fx.ports, executions }, { shardCount: SHARDS, deliver: target.deliver, clock: later }).execute(message)).rejects.toThrow('killed');
    const queue = recordingQueue(0);

    // Act: a sweep while that takeover's (recorded) lease is still live
    await new SweepPlanner({ ...fx.ports, queue, clock: later }, () => Promise.resolve()).sweep(0, message.d - 60_000, Date.now() + 60_000, 'b30000');

    // Assess
    expect((await fx.ports.executions.get('ivy', taskId, message.e, true))?.status).toBe('RUNNING');
    expect(queue.sent.map((m) => m.e)).toContain(message.e);
  });
});
