import { TaskNotFoundError, TaskStateConflictError } from '../../lambdas/domain/errors';
import { createTaskSchema } from '../../lambdas/domain/schemas';
import { nextRun, parseSchedule } from '../../lambdas/domain/schedule';
import type { TaskCommands } from '../../lambdas/app/taskCommands';
import type { TaskStore } from '../../lambdas/app/ports';
import type { FaultInjector } from './faultInjector';
import { realSleep } from './inProcessApp';

export interface WorkloadSize {
  readonly tenants: number;
  readonly oneShots: number;
  readonly cronTasks: number;
  /** Occurrences fall due over this long, starting `leadMs` after the tasks are made. */
  readonly windowMs: number;
  readonly leadMs: number;
}

/** A task the suite made, what its schedule says, and what was done to it. */
export interface PlannedTask {
  readonly userId: string;
  readonly taskId: string;
  readonly kind: 'one-shot' | 'cron';
  readonly schedule: string;
  /** Every occurrence its schedule has (epoch ms), computed by the schedule engine at creation. */
  readonly occurrences: readonly number[];
  readonly deleteAt: number | null;
  readonly pauseAt: number | null;
  /** When DELETE / pause returned (the instant after which nothing of it may start). */
  deletedAt: number | null;
  pausedAt: number | null;
}

const CRONS = ['*/2 * * * * *', '*/3 * * * * *', '*/5 * * * * *'];
const RETRY = { maxAttempts: 3, backoffSeconds: 1, maxBackoffSeconds: 2 };

function atExpression(ms: number): string {
  return `at(${new Date(ms).toISOString().replace('.000Z', 'Z')})`;
}

/**
 * One-shot tasks due at whole seconds over the window (many in the same second), and cron tasks
 * with a seconds field that end with the window, for several tenants. Some are deleted or paused
 * while their occurrences fall due.
 */
export async function createWorkload(
  commands: TaskCommands,
  tasks: TaskStore,
  size: WorkloadSize,
  targetUrl: string,
  random: () => number,
): Promise<PlannedTask[]> {
  const start = Math.ceil((Date.now() + size.leadMs) / 1000) * 1000;
  const end = start + size.windowMs;
  const tenants = Array.from({ length: size.tenants }, (_, i) => `tenant-${String.fromCharCode(97 + i)}`);
  const specs = [
    ...Array.from({ length: size.oneShots }, (_, i) => ({ kind: 'one-shot' as const, i })),
    ...Array.from({ length: size.cronTasks }, (_, i) => ({ kind: 'cron' as const, i })),
  ];
  const planned: PlannedTask[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < specs.length) {
      const spec = specs[next++]!;
      const userId = tenants[spec.i % tenants.length]!;
      const dueAt = start + Math.floor(random() * (size.windowMs / 1000)) * 1000;
      const schedule = spec.kind === 'one-shot' ? atExpression(dueAt) : CRONS[spec.i % CRONS.length]!;
      const body = createTaskSchema.parse({
        name: `chaos ${spec.kind} ${spec.i}`,
        schedule,
        target: { type: 'http', url: `${targetUrl}/${userId}/${spec.kind}`, timeoutSeconds: 1 },
        payload: { tenant: userId, n: spec.i },
        retryPolicy: RETRY,
        ...(spec.kind === 'cron' ? { endAt: new Date(end).toISOString() } : {}),
      });
      const { taskId } = await commands.create(userId, body, undefined);
      const head = (await tasks.getHead(userId, taskId, true))!;
      const occurrences: number[] = [];
      const parsed = parseSchedule(schedule, 'UTC');
      for (let t = head.nextRunAt ? new Date(head.nextRunAt) : null; t && t.getTime() <= end; t = nextRun(parsed, t, new Date(head.anchor))) {
        occurrences.push(t.getTime());
      }
      const last = occurrences[occurrences.length - 1] ?? start;
      const roll = random();
      // One-shots are deleted around their due second; cron tasks part-way through.
      const deleteAt = spec.kind === 'one-shot' ? (roll < 0.08 ? last - 1_500 + random() * 2_500 : null) : roll < 0.15 ? start + random() * size.windowMs : null;
      const pauseAt = spec.kind === 'cron' && roll >= 0.15 && roll < 0.27 ? start + random() * size.windowMs : null;
      planned.push({ userId, taskId, kind: spec.kind, schedule, occurrences, deleteAt, pauseAt, deletedAt: null, pausedAt: null });
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return planned;
}

/** Deletes and pauses each task at its planned instant, through a TaskCommands whose client is faulty. */
export async function intervene(commands: TaskCommands, planned: readonly PlannedTask[], faults: FaultInjector, isStopping: () => boolean): Promise<void> {
  const act = async (task: PlannedTask, at: number, what: 'delete' | 'pause'): Promise<void> => {
    await realSleep(Math.max(0, at - Date.now()));
    for (let round = 1; !isStopping(); round++) {
      try {
        if (what === 'delete') await commands.delete(task.userId, task.taskId);
        else await commands.pause(task.userId, task.taskId);
      } catch (error) {
        // A pause that comes after the task completed changes nothing.
        if (error instanceof TaskStateConflictError) return;
        // A 5xx: the user tries again. A 404 after a failed try: it was deleted by that try.
        if (!(error instanceof TaskNotFoundError)) {
          await realSleep(Math.min(1_000, 50 * round));
          continue;
        }
      }
      if (what === 'delete') {
        task.deletedAt = Date.now();
        faults.count('task-deleted');
      } else {
        task.pausedAt = Date.now();
        faults.count('task-paused');
      }
      return;
    }
  };
  await Promise.all(
    planned.flatMap((task) => [
      ...(task.deleteAt !== null ? [act(task, task.deleteAt, 'delete')] : []),
      ...(task.pauseAt !== null ? [act(task, task.pauseAt, 'pause')] : []),
    ]),
  );
}
