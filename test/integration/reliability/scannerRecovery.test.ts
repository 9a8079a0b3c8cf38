import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkMessage, WorkQueue } from '../../../lambdas/app/ports';
import { ShardScanner } from '../../../lambdas/app/shardScanner';
import { createTaskSchema } from '../../../lambdas/domain/schemas';
import { offsetClock, realSleep } from '../../chaos/inProcessApp';
import { reliabilityFixture } from './reliabilityFixture';
import type { ReliabilityFixture } from './reliabilityFixture';

/** The scanner picking up after an invocation that died half-way through a hand-over. */
let fx: ReliabilityFixture;

beforeAll(async () => {
  fx = await reliabilityFixture('scanner-recovery');
});

afterAll(() => fx?.clients.destroy());

function queueThat(fails: boolean): WorkQueue & { sent: WorkMessage[] } {
  const sent: WorkMessage[] = [];
  return {
    sent,
    send(messages) {
      sent.push(...messages.map((m) => m.message));
      return fails ? Promise.reject(new Error('SQS: 503 Service Unavailable')) : Promise.resolve();
    },
    createdAt: () => Promise.resolve('1'),
  };
}

describe('scanner recovery', () => {
  it('should hand over again, on the next scan, a run whose send failed after the task was advanced past it', async () => {
    // Prepare: a cron task due every second
    const body = createTaskSchema.parse({ schedule: '* * * * * *', target: { type: 'http', url: 'http://127.0.0.1:9/x' } });
    const { taskId } = await fx.commands.create('frank', body, undefined);
    const failing = queueThat(true);

    // Act: the first scan advances the task and dies on its send; a fresh scan follows
    await expect(new ShardScanner({ ...fx.ports, queue: failing, clock: offsetClock(0), sleep: realSleep }).run(0, 3_000)).rejects.toThrow(/503/);
    const lost = failing.sent.find((m) => m.t === taskId)!;
    const head = await fx.ports.tasks.getHead('frank', taskId, true);
    const next = queueThat(false);
    await new ShardScanner({ ...fx.ports, queue: next, clock: offsetClock(0), sleep: realSleep }).run(0, 1_000);

    // Assess
    expect(head?.nextRunAt).not.toBe(lost.s);
    expect(next.sent.map((m) => m.e)).toContain(lost.e);
  });
});
