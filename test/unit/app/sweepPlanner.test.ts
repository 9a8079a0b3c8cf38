import { describe, expect, it } from 'vitest';
import { SweepPlanner } from '../../../lambdas/app/sweepPlanner';
import type { DueEntry, DueIndex, ExecutionStore, TaskStore, WorkMessage, WorkQueue } from '../../../lambdas/app/ports';
import type { ExecutionRecord, ExecutionStatus } from '../../../lambdas/domain/execution';
import type { TaskHead } from '../../../lambdas/domain/task';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const DUE = NOW - 40_000;

function entry(taskId: string, overrides: Partial<DueEntry> = {}): DueEntry {
  return {
    shard: 0,
    dueAt: DUE,
    userId: 'uma',
    taskId,
    executionId: `exe_${taskId}_${DUE}`,
    scheduledFor: new Date(DUE).toISOString(),
    attempt: 1,
    kind: 'occurrence',
    gen: 1,
    ...overrides,
  };
}

function record(e: DueEntry, status: ExecutionStatus, attempt = 1): ExecutionRecord {
  return {
    executionId: e.executionId,
    taskId: e.taskId,
    userId: e.userId,
    kind: 'scheduled',
    scheduledFor: e.scheduledFor,
    status,
    attempt,
    attempts: [],
    startedAt: null,
    finishedAt: null,
    result: null,
    error: null,
    nextAttemptAt: null,
  };
}

function head(e: DueEntry, overrides: Partial<TaskHead> = {}): TaskHead {
  return {
    userId: e.userId,
    taskId: e.taskId,
    name: null,
    schedule: 'at(2026-11-27T11:59:20Z)',
    timezone: 'UTC',
    target: { type: 'http', url: 'https://example.com/', method: 'POST', headers: {}, timeoutSeconds: 5 },
    retryPolicy: { maxAttempts: 3, backoffSeconds: 2, maxBackoffSeconds: 60 },
    status: 'ACTIVE',
    statusReason: null,
    nextRunAt: e.scheduledFor,
    anchor: e.scheduledFor,
    createdAt: e.scheduledFor,
    updatedAt: e.scheduledFor,
    version: 1,
    gen: 1,
    runCount: 0,
    payloadBytes: 4,
    running: {},
    ...overrides,
  };
}

/** The planner over in-memory ports that count the task heads they are asked for. */
function plannerOver(entries: DueEntry[], records: ExecutionRecord[], heads: TaskHead[]) {
  const headReads: string[] = [];
  const sent: WorkMessage[] = [];
  const lateHandOvers: DueEntry[] = [];
  const tasks = {
    getHeads: (keys: ReadonlyArray<{ userId: string; taskId: string }>) => {
      headReads.push(...keys.map((k) => k.taskId));
      return Promise.resolve(heads.filter((h) => keys.some((k) => k.taskId === h.taskId)));
    },
  } as unknown as TaskStore;
  const executions = {
    getMany: (keys: ReadonlyArray<{ executionId: string }>) => Promise.resolve(records.filter((r) => keys.some((k) => k.executionId === r.executionId))),
  } as unknown as ExecutionStore;
  const dueIndex = { query: () => Promise.resolve(entries), put: () => Promise.resolve() } as unknown as DueIndex;
  const queue: WorkQueue = {
    send: (messages) => Promise.resolve(void sent.push(...messages.map((m) => m.message))),
    createdAt: () => Promise.resolve('1'),
  };
  const planner = new SweepPlanner({ tasks, executions, dueIndex, queue, clock: { now: () => new Date(NOW) } }, (late) => {
    lateHandOvers.push(...late);
    return Promise.resolve();
  });
  return { planner, headReads, sent, lateHandOvers };
}

describe('SweepPlanner', () => {
  it('should leave an occurrence that BUFFER_ONE holds back to the scanner, however long the previous run lasts', async () => {
    // Prepare: the scanner buffered this occurrence (the previous execution was still running),
    // advanced the task past it, and re-checks it through its own 'buffered' entry.
    const held = entry('tsk_buffered');
    const task = head(held, { schedule: '* * * * *', nextRunAt: new Date(DUE + 60_000).toISOString(), buffered: held.executionId });
    const { planner, sent } = plannerOver([held], [], [task]);

    // Act
    const redriven = await planner.sweep(0, DUE - 1, DUE, 'b30000');

    // Assess
    expect(redriven).toBe(0);
    expect(sent).toEqual([]);
  });

  it('should not read the task of an entry whose execution already ran', async () => {
    // Prepare
    const done = [entry('tsk_a'), entry('tsk_b'), entry('tsk_c'), entry('tsk_d', { attempt: 2, kind: 'retry' })];
    const statuses: ExecutionStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];
    const records = [...done.slice(0, 3).map((e, i) => record(e, statuses[i]!)), record(done[3]!, 'RETRYING', 2)];
    const { planner, headReads, sent } = plannerOver(done, records, done.map((e) => head(e)));

    // Act
    const redriven = await planner.sweep(0, DUE - 1, DUE, 'b30000');

    // Assess
    expect(redriven).toBe(0);
    expect(headReads).toEqual([]);
    expect(sent).toEqual([]);
  });

  it('should re-send an entry with no execution and no live lease, reading only its task', async () => {
    // Prepare
    const lost = entry('tsk_lost');
    const done = entry('tsk_done');
    const { planner, headReads, sent } = plannerOver([lost, done], [record(done, 'SUCCEEDED')], [head(lost), head(done)]);

    // Act
    const redriven = await planner.sweep(0, DUE - 1, DUE, 'b30000');

    // Assess
    expect(redriven).toBe(1);
    expect(headReads).toEqual(['tsk_lost']);
    expect(sent.map((m) => m.e)).toEqual([lost.executionId]);
  });

  it('should still hand over a recurring occurrence whose skip was recorded by a scan that died before advancing its task', async () => {
    // Prepare
    const stuck = entry('tsk_cron');
    const { planner, lateHandOvers } = plannerOver([stuck], [record(stuck, 'SKIPPED')], [head(stuck, { schedule: '*/10 * * * * *' })]);

    // Act
    await planner.sweep(0, DUE - 1, DUE, 'b30000');

    // Assess
    expect(lateHandOvers.map((e) => e.executionId)).toEqual([stuck.executionId]);
  });

  it('should re-send a retry whose execution records an earlier attempt only', async () => {
    // Prepare
    const retry = entry('tsk_retry', { attempt: 3, kind: 'retry' });
    const { planner, sent } = plannerOver([retry], [record(retry, 'RETRYING', 2)], [head(retry)]);

    // Act
    const redriven = await planner.sweep(0, DUE - 1, DUE, 'b30000');

    // Assess
    expect(redriven).toBe(1);
    expect(sent.map((m) => m.a)).toEqual([3]);
  });
});
