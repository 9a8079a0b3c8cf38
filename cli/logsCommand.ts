import type { ParseArgsConfig } from 'node:util';
import type { Execution } from '../client/apiTypes';
import { scheduleInWords } from '../client/scheduleInWords';
import { TockApiError } from '../client/tockClient';
import type { CommandContext } from './cliIo';
import { UsageError } from './cliIo';
import { executionLine } from './taskText';

export const LOGS_OPTIONS = {
  once: { type: 'boolean' },
  limit: { type: 'string' },
  interval: { type: 'string' },
  skipped: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

/** How many of the newest executions each poll reads: more than can start within one interval. */
const POLL_PAGE = 25;

/**
 * `tock logs <taskId>`: prints the latest executions oldest first, then polls and prints a line
 * each time an execution appears or changes (status, attempt), until Ctrl-C or the task is deleted.
 * With --json each line is the execution object.
 */
export async function followExecutions(ctx: CommandContext, taskId: string, values: Record<string, unknown>): Promise<number> {
  const limit = values.limit === undefined ? 10 : Number(values.limit);
  const intervalMs = values.interval === undefined ? 1000 : Number(values.interval);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new UsageError('--limit must be a whole number from 1 to 100');
  if (!Number.isFinite(intervalMs) || intervalMs < 100) throw new UsageError('--interval must be at least 100 (milliseconds)');
  const client = ctx.client();
  const include = values.skipped ? { include: 'skipped' as const } : {};
  const seen = new Map<string, string>();
  const show = (execution: Execution): void => {
    const signature = `${execution.status}|${execution.attempt}|${execution.finishedAt}`;
    if (seen.get(execution.executionId) === signature) return;
    seen.set(execution.executionId, signature);
    ctx.io.out(ctx.json ? JSON.stringify(execution) : executionLine(execution));
  };

  const task = await client.getTask(taskId);
  const first = await client.listExecutions(taskId, { limit, ...include });
  if (!ctx.json && !values.once) {
    ctx.io.err(`Following ${task.taskId} (${scheduleInWords(task.schedule, task.timezone)}); Ctrl-C to stop.`);
  }
  if (!ctx.json && first.items.length === 0) ctx.io.err('No executions yet.');
  for (const execution of [...first.items].reverse()) show(execution);
  if (values.once) return 0;

  while (!ctx.io.signal?.aborted) {
    await sleep(intervalMs, ctx.io.signal);
    if (ctx.io.signal?.aborted) break;
    try {
      const page = await client.listExecutions(taskId, { limit: POLL_PAGE, ...include });
      for (const execution of [...page.items].reverse()) show(execution);
    } catch (error) {
      if (error instanceof TockApiError && error.status === 404) {
        ctx.io.err(`Task ${taskId} was deleted.`);
        return 0;
      }
      // A network blip: say so and keep following.
      if (error instanceof TockApiError && error.status === 0) ctx.io.err(`(${error.message}; retrying)`);
      else throw error;
    }
  }
  return 0;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
