import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskStore, WorkMessage } from '../../../lambdas/app/ports';
import { executorOf, offsetClock } from '../../chaos/inProcessApp';
import { OK, reliabilityFixture, scriptedTarget, SHARDS, UNAVAILABLE } from './reliabilityFixture';
import type { ReliabilityFixture } from './reliabilityFixture';

/**
 * The executor against DynamoDB Local when attempts are lost, tasks change under a retry, or a
 * task is deleted mid-claim. Later executors get a clock past the lease (LEASE_MARGIN_MS is 15 s).
 */
let fx: ReliabilityFixture;

beforeAll(async () => {
  fx = await reliabilityFixture('executor-recovery');
});

afterAll(() => fx?.clients.destroy());

function bind(target: object, property: string | symbol): unknown {
  const value = Reflect.get(target, property) as unknown;
  return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('lost attempts', () => {
  it('should count each lost attempt, so repeated crashes after delivery end FAILED when attempts run out', async () => {
    // Prepare
    const { taskId, message } = await fx.oneShot('alice', { retryPolicy: { maxAttempts: 2 } });
    const target = scriptedTarget(['hang', 'hang', OK]);

    // Act: attempt 1 is killed mid-request; a takeover after its lease is killed too; then a third delivery
    void executorOf(fx.ports, { shardCount: SHARDS, deliver: target.deliver }).execute(message);
    await until(() => target.calls.length === 1);
    void executorOf(fx.ports, { shardCount: SHARDS, deliver: target.deliver, clock: offsetClock(60_000) }).execute(message);
    await until(() => target.calls.length === 2);
    const outcome = await executorOf(fx.ports, { shardCount: SHARDS, deliver: target.deliver, clock: offsetClock(120_000) }).execute(message);

    // Assess
    expect(outcome).toBe('done');
    expect(target.calls.map((call) => call.attempt)).toEqual([1, 2]);
    const record = await fx.ports.executions.get('alice', taskId, message.e, true);
    expect(record?.status).toBe('FAILED');
    expect(record?.attempts.map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'LOST'],
      [2, 'LOST'],
    ]);
  });

  it('should show the takeover attempt under its own number while it runs', async () => {
    // Prepare
    const { taskId, message } = await fx.oneShot('alice');
    const target = scriptedTarget(['hang']);
    void executorOf(fx.ports, { shardCount: SHARDS, deliver: target.deliver }).execute(message);
    await until(() => target.calls.length === 1);

    // Act
    void executorOf(fx.ports, { shardCount: SHARDS, deliver: target.deliver, clock: offsetClock(60_000) }).execute(message);
    await until(() => target.calls.length === 2);

    // Assess
    const head = await fx.ports.tasks.getHead('alice', taskId, true);
    expect(head?.running[message.e]?.attempt).toBe(2);
    expect(target.calls.map((call) => call.attempt)).toEqual([1, 2]);
  });
});

describe('a duplicate of an attempt in flight', () => {
  it('should leave a watch at the lease end when it loses the claim, its message being dropped', async () => {
    // Prepare: attempt 1 is killed mid-request
    const { taskId, message } = await fx.oneShot('kim');
    const target = scriptedTarget(['hang', OK]);
    void executorOf(fx.ports, { shardCount: SHARDS, deliver: target.deliver }).execute(message);
    await until(() => target.calls.length === 1);
    const lease = (await fx.ports.tasks.getHead('kim', taskId, true))!.running[message.e]!;

    // Act: a duplicate delivery within the lease
    const outcome = await executorOf(fx.ports, { shardCount: SHARDS, deliver: target.deliver }).execute(message);

    // Assess
    expect(outcome).toBe('done');
    expect(target.calls).toHaveLength(1);
    const entries = await fx.ports.dueIndex.query(0, lease.leaseUntil - 1, lease.leaseUntil + 1);
    expect(entries.filter((e) => e.executionId === message.e)).toEqual([expect.objectContaining({ kind: 'watch', attempt: 1, dueAt: lease.leaseUntil + 1 })]);
  });
});

describe('a takeover that dies before it sends', () => {
  /** Ports whose `method` takes effect and then the invocation dies (it never sends). */
  function dyingAfter(method: 'renumberLease' | 'record') {
    const die = (): never => {
      throw new Error('killed');
    };
    const tasks = new Proxy(fx.ports.tasks, {
      get: (store, property) =>
        property === method ? async (...args: unknown[]) => (await (store.renumberLease as (...a: unknown[]) => Promise<unknown>)(...args), die()) : bind(store, property),
    });
    const executions = new Proxy(fx.ports.executions, {
      get: (store, property) =>
        property === method ? async (...args: unknown[]) => (await (store.record as (...a: unknown[]) => Promise<unknown>)(...args), die()) : bind(store, property),
    });
    return { ...fx.ports, tasks, executions };
  }

  it.each([['renumberLease'], ['record']] as const)('should keep every lost attempt in the history when a takeover dies right after %s', async (method) => {
    // Prepare: attempt 1 is killed mid-request
    const { taskId, message } = await fx.oneShot('alice');
    const target = scriptedTarget(['hang', OK]);
    void executorOf(fx.ports, { shardCount: SHARDS, deliver: target.deliver }).execute(message);
    await until(() => target.calls.length === 1);

    // Act: the takeover dies before it sends; a later delivery runs
    await expect(executorOf(dyingAfter(method), { shardCount: SHARDS, deliver: target.deliver, clock: offsetClock(60_000) }).execute(message)).rejects.toThrow('killed');
    await executorOf(fx.ports, { shardCount: SHARDS, deliver: target.deliver, clock: offsetClock(120_000) }).execute(message);

    // Assess
    const record = await fx.ports.executions.get('alice', taskId, message.e, true);
    expect(record?.status).toBe('SUCCEEDED');
    const history = record!.attempts.map((a) => `${a.attempt} ${a.outcome}`);
    expect(history[0]).toBe('1 LOST');
    expect(history[history.length - 1]).toBe(`${record!.attempt} SUCCEEDED`);
    expect(record!.attempts.map((a) => a.attempt)).toEqual(Array.from({ length: record!.attempt }, (_, i) => i + 1));
    expect(target.calls.map((call) => call.attempt)).toEqual([1, record!.attempt]);
  });
});

describe('retries of a changed task', () => {
  it('should cancel a retrying execution when its task was paused before the retry', async () => {
    // Prepare
    const { taskId, message } = await fx.oneShot('bob');
    const target = scriptedTarget([UNAVAILABLE, OK]);
    await executorOf(fx.ports, { shardCount: SHARDS, deliver: target.deliver }).execute(message);
    expect((await fx.ports.executions.get('bob', taskId, message.e, true))?.status).toBe('RETRYING');

    // Act
    await fx.commands.pause('bob', taskId);
    const retry: WorkMessage = { ...message, a: 2, k: 'retry' };
    await executorOf(fx.ports, { shardCount: SHARDS, deliver: target.deliver, clock: offsetClock(60_000) }).execute(retry);

    // Assess
    const record = await fx.ports.executions.get('bob', taskId, message.e, true);
    expect(record?.status).toBe('CANCELLED');
    expect(record?.attempts).toHaveLength(1);
    expect(target.calls).toHaveLength(1);
  });

  it('should retry a manual trigger as a trigger, even on a task that has completed', async () => {
    // Prepare
    const { taskId } = await fx.oneShot('bob');
    const head = (await fx.ports.tasks.getHead('bob', taskId, true))!;
    await fx.ports.tasks.replace({ ...head, status: 'COMPLETED', version: head.version + 1 }, head.version, {});
    const executionId = await fx.commands.trigger('bob', taskId);
    const pending = (await fx.ports.executions.get('bob', taskId, executionId, true))!;
    const first: WorkMessage = { u: 'bob', t: taskId, e: executionId, s: pending.scheduledFor, a: 1, d: Date.parse(pending.scheduledFor), k: 'trigger' };
    const target = scriptedTarget([UNAVAILABLE, OK]);
    await executorOf(fx.ports, { shardCount: SHARDS, deliver: target.deliver }).execute(first);

    // Act
    await executorOf(fx.ports, { shardCount: SHARDS, deliver: target.deliver, clock: offsetClock(60_000) }).execute({ ...first, a: 2, k: 'retry' });

    // Assess
    const record = await fx.ports.executions.get('bob', taskId, executionId, true);
    expect(record?.status).toBe('SUCCEEDED');
    expect(record?.kind).toBe('trigger');
    expect(target.calls.map((call) => call.attempt)).toEqual([1, 2]);
  });
});

describe('delete during a claim', () => {
  it('should not deliver a task deleted between its claim and its delivery, and cancel the execution', async () => {
    // Prepare
    const { taskId, message } = await fx.oneShot('carol');
    const target = scriptedTarget([OK]);
    const tasks = new Proxy(fx.ports.tasks, {
      get(store, property) {
        if (property === 'claim') {
          return async (args: Parameters<TaskStore['claim']>[0]) => {
            const claim = await store.claim(args);
            await fx.commands.delete(args.userId, args.taskId);
            return claim;
          };
        }
        const value = Reflect.get(store, property) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(store) : value;
      },
    });

    // Act
    await executorOf({ ...fx.ports, tasks }, { shardCount: SHARDS, deliver: target.deliver }).execute(message);

    // Assess
    expect(target.calls).toHaveLength(0);
    const record = await fx.ports.executions.get('carol', taskId, message.e, true);
    expect(record?.status).toBe('CANCELLED');
  });
});
