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

  it('should not leave a recurring task stuck when a scan dies between catching up and advancing it', async () => {
    // Prepare: a cron task due every second, its scanners 15 s late (catch-up: LATEST)
    const body = createTaskSchema.parse({ schedule: '* * * * * *', target: { type: 'http', url: 'http://127.0.0.1:9/x' } });
    const { taskId } = await fx.commands.create('gwen', body, undefined);
    const due = (await fx.ports.tasks.getHead('gwen', taskId, true))!.nextRunAt!;
    const late = offsetClock(15_000);
    const tasks = new Proxy(fx.ports.tasks, {
      get(store, property) {
        if (property === 'advance') {
          return (head: { taskId: string }, ...rest: unknown[]) =>
            head.taskId === taskId ? Promise.reject(new Error('crashed before advancing')) : (store.advance as (...a: unknown[]) => Promise<boolean>)(head, ...rest);
        }
        const value = Reflect.get(store, property) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(store) : value;
      },
    });

    // Act: the first scan dies just before its advance; fresh scans follow
    await expect(new ShardScanner({ ...fx.ports, tasks, queue: queueThat(false), clock: late, sleep: realSleep }).run(0, 1_000)).rejects.toThrow(/advancing/);
    const recovering = queueThat(false);
    await new ShardScanner({ ...fx.ports, queue: recovering, clock: late, sleep: realSleep }).run(0, 1_500);
    const head = await fx.ports.tasks.getHead('gwen', taskId, true);
    const later = queueThat(false);
    await new ShardScanner({ ...fx.ports, queue: later, clock: late, sleep: realSleep }).run(0, 2_500);

    // Assess: the task caught up, moved on, and its runs go on being handed over
    expect(Date.parse(head!.nextRunAt!)).toBeGreaterThan(Date.parse(due) + 10_000);
    expect(recovering.sent.map((m) => m.e)).toContain(head!.lastHandedOver);
    expect(later.sent.filter((m) => m.t === taskId && Date.parse(m.s) >= Date.parse(head!.nextRunAt!)).length).toBeGreaterThanOrEqual(1);
  });

  it('should leave the hand-over to the scanner that moved the task when two scanners race for it', async () => {
    // Prepare: another scanner advances the task just before ours does
    const body = createTaskSchema.parse({ schedule: '* * * * * *', target: { type: 'http', url: 'http://127.0.0.1:9/x' } });
    const { taskId } = await fx.commands.create('hal', body, undefined);
    const first = (await fx.ports.tasks.getHead('hal', taskId, true))!.nextRunAt!;
    const tasks = new Proxy(fx.ports.tasks, {
      get(store, property) {
        if (property === 'advance') {
          return async (...args: Parameters<typeof store.advance>) => {
            if (args[0].taskId === taskId && args[1] === first) await store.advance(...args);
            return store.advance(...args);
          };
        }
        const value = Reflect.get(store, property) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(store) : value;
      },
    });
    const queue = queueThat(false);
    // The tests before ran their scanners 15 s ahead: bring the shard's cursor back to now.
    await fx.ports.dueIndex.setCursor(0, Date.now() - 5_000, '1');

    // Act
    await new ShardScanner({ ...fx.ports, tasks, queue, clock: offsetClock(0), sleep: realSleep }).run(0, 2_500);

    // Assess: the first run is the winner's to send; the later ones are ours
    const sent = queue.sent.filter((m) => m.t === taskId).map((m) => m.s);
    expect(sent).not.toContain(first);
    expect(sent.length).toBeGreaterThanOrEqual(1);
  });

  it('should write no SKIPPED record when another scanner moved the task first and runs the occurrence', async () => {
    // Prepare: a cron task due every second; our scanner runs 15 s late, so it would catch up
    // (LATEST: skip the missed ones, run the newest), while another scanner on time moves the
    // task first, planning the first occurrence as a run. Found by the fault-injection suite.
    const body = createTaskSchema.parse({ schedule: '* * * * * *', target: { type: 'http', url: 'http://127.0.0.1:9/x' } });
    const { taskId } = await fx.commands.create('ida', body, undefined);
    const start = (await fx.ports.tasks.getHead('ida', taskId, true))!;
    const first = start.nextRunAt!;
    const firstId = `exe_${taskId.slice(4)}_${String(Date.parse(first)).padStart(13, '0')}`;
    let raced = false;
    const tasks = new Proxy(fx.ports.tasks, {
      get(store, property) {
        if (property === 'advance') {
          return async (...args: Parameters<typeof store.advance>) => {
            if (args[0].taskId === taskId && args[1] === first && !raced) {
              raced = true;
              const onTime = { nextRunAt: new Date(Date.parse(first) + 1000).toISOString(), runCount: 1, status: 'ACTIVE' as const, statusReason: null, removeLeases: [], lastHandedOver: firstId, buffered: null };
              expect(await store.advance(args[0], first, onTime)).toBe(true);
            }
            return store.advance(...args);
          };
        }
        const value = Reflect.get(store, property) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(store) : value;
      },
    });
    await fx.ports.dueIndex.setCursor(0, Date.now() - 5_000, '1');

    // Act
    await new ShardScanner({ ...fx.ports, tasks, queue: queueThat(false), clock: offsetClock(15_000), sleep: realSleep }).run(0, 1_000);

    // Assess: the race happened, and our scanner, which lost it, recorded no skip at all
    expect(raced).toBe(true);
    expect(await fx.ports.executions.get('ida', taskId, firstId, true)).toBeUndefined();
    const ledger = await fx.ports.executions.list('ida', taskId, 100, undefined, true);
    expect(ledger.items.filter((r) => r.status === 'SKIPPED' && Date.parse(r.scheduledFor) < Date.parse(first) + 1000)).toEqual([]);
  });
});
