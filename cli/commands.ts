import type { ParseArgsConfig } from 'node:util';
import type { Task, TaskInput, TaskStatus } from '../client/apiTypes';
import { TASK_STATUSES } from '../client/apiTypes';
import { scheduleInWords } from '../client/scheduleInWords';
import { TockApiError, TockClient } from '../client/tockClient';
import { configFile, removeLogin, writeLogin } from './cliConfig';
import type { CommandContext } from './cliIo';
import { UsageError } from './cliIo';
import { followExecutions, LOGS_OPTIONS } from './logsCommand';
import { needsCurrentTask, TASK_OPTIONS, TASK_OPTIONS_HELP, taskBodyFromOptions } from './taskOptions';
import type { TaskOptionValues } from './taskOptions';
import { taskDetails, taskTable } from './taskText';
import { instant } from './textTable';

export interface Command {
  readonly summary: string;
  /** As shown in the usage line, e.g. `<taskId>`. */
  readonly args: string;
  readonly positionals: readonly string[];
  readonly options: ParseArgsConfig['options'];
  readonly help?: string;
  run(ctx: CommandContext, values: Record<string, unknown>, positionals: readonly string[]): Promise<number>;
}

const NO_OPTIONS = {} as const;

function print(ctx: CommandContext, value: unknown, text: string): number {
  ctx.io.out(ctx.json ? JSON.stringify(value, null, 2) : text);
  return 0;
}

/** pause, resume: one call on one task, the task printed after. */
function taskAction(summary: string, act: (client: TockClient, taskId: string) => Promise<Task>, done: string): Command {
  return {
    summary, args: '<taskId>', positionals: ['taskId'], options: NO_OPTIONS,
    async run(ctx, _values, [taskId]) {
      const task = await act(ctx.client(), taskId!);
      return print(ctx, task, `${done} ${task.taskId}: ${task.status}, next run ${instant(task.nextRunAt)}`);
    },
  };
}

export const COMMANDS: Readonly<Record<string, Command>> = {
  login: {
    summary: 'save a token: a local one for --user, or TOCK_TOKEN',
    args: '[--user ID]',
    positionals: [],
    options: { user: { type: 'string', short: 'u' } },
    help: '  -u, --user ID   local mode: get a token for this user id from POST /local/token\n' +
      '                  without --user, TOCK_TOKEN (e.g. a Cognito access token) is checked and saved',
    async run(ctx, values) {
      const user = values.user as string | undefined;
      let token: string;
      if (user !== undefined) {
        token = await localToken(ctx, user);
      } else if (ctx.io.env.TOCK_TOKEN) {
        token = ctx.io.env.TOCK_TOKEN;
        // Check it before saving: a typo should fail here, not on the next command.
        await new TockClient({ baseUrl: ctx.url, token: () => token, ...(ctx.io.fetch ? { fetch: ctx.io.fetch } : {}) }).listTasks({ limit: 1 });
      } else {
        throw new UsageError('give --user <id> (local mode) or set TOCK_TOKEN');
      }
      const file = writeLogin(ctx.io.env, { url: ctx.url, token, ...(user === undefined ? {} : { user }) });
      return print(ctx, { url: ctx.url, user: user ?? null, configFile: file }, `Signed in to ${ctx.url}${user ? ` as ${user}` : ''}. Token saved in ${file}.`);
    },
  },
  logout: {
    summary: 'forget the saved token',
    args: '', positionals: [], options: NO_OPTIONS,
    async run(ctx) {
      const removed = removeLogin(ctx.io.env);
      return print(ctx, { removed }, removed ? `Removed ${configFile(ctx.io.env)}.` : 'Not signed in.');
    },
  },
  create: {
    summary: 'create a task',
    args: '--schedule EXPR --target URL [options]',
    positionals: [],
    options: { ...TASK_OPTIONS, 'idempotency-key': { type: 'string' } },
    help: `${TASK_OPTIONS_HELP}\n      --idempotency-key KEY  the same key and body again returns the same task`,
    async run(ctx, values) {
      const body = await taskBodyFromOptions(values as TaskOptionValues, ctx.io);
      const key = values['idempotency-key'] as string | undefined;
      const task = await ctx.client().createTask(body as TaskInput, key ? { idempotencyKey: key } : {});
      return print(ctx, task, `Created ${task.taskId}\n${taskDetails(task)}`);
    },
  },
  list: {
    summary: 'list tasks, newest first',
    args: '[--status S] [--limit N] [--all]',
    positionals: [],
    options: { status: { type: 'string' }, limit: { type: 'string' }, 'next-token': { type: 'string' }, all: { type: 'boolean' } },
    help: `      --status S        ${TASK_STATUSES.join(', ')}\n      --limit N         tasks per page, 1-100 (default 20)\n      --next-token T    the page after T\n      --all             every page`,
    async run(ctx, values) {
      const status = values.status as string | undefined;
      if (status !== undefined && !TASK_STATUSES.includes(status.toUpperCase() as TaskStatus)) {
        throw new UsageError(`--status must be one of ${TASK_STATUSES.join(', ')}`);
      }
      const client = ctx.client();
      const limit = values.limit === undefined ? undefined : Number(values.limit);
      const items: Task[] = [];
      let nextToken = values['next-token'] as string | undefined;
      do {
        const page = await client.listTasks({ status: status?.toUpperCase() as TaskStatus | undefined, limit, nextToken });
        items.push(...page.items);
        nextToken = page.nextToken ?? undefined;
      } while (values.all && nextToken);
      if (ctx.json) return print(ctx, { items, nextToken: nextToken ?? null }, '');
      ctx.io.out(items.length === 0 ? 'No tasks.' : taskTable(items));
      if (nextToken) ctx.io.err(`More tasks: tock list --next-token ${nextToken} (or --all)`);
      return 0;
    },
  },
  get: {
    summary: 'show a task',
    args: '<taskId>', positionals: ['taskId'], options: NO_OPTIONS,
    async run(ctx, _values, [taskId]) {
      const task = await ctx.client().getTask(taskId!);
      return print(ctx, task, taskDetails(task));
    },
  },
  update: {
    summary: 'change a task (only the options given)',
    args: '<taskId> [options]',
    positionals: ['taskId'],
    options: { ...TASK_OPTIONS, 'if-match': { type: 'string' } },
    help: `${TASK_OPTIONS_HELP}\n      --if-match VERSION     refuse (412) if the task is no longer at this version`,
    async run(ctx, values, [taskId]) {
      const client = ctx.client();
      const options = values as TaskOptionValues;
      // Target and retry policy are replaced as wholes: merge into the current ones, at their version.
      const current = needsCurrentTask(options) ? await client.getTask(taskId!) : undefined;
      const body = await taskBodyFromOptions(options, ctx.io, current);
      if (Object.keys(body).length === 0) throw new UsageError('nothing to change: give at least one option');
      const ifMatch = values['if-match'] === undefined ? current?.version : Number(values['if-match']);
      const task = await client.updateTask(taskId!, body, ifMatch === undefined ? {} : { ifMatch });
      return print(ctx, task, `Updated ${task.taskId} (version ${task.version})\n${taskDetails(task)}`);
    },
  },
  delete: {
    summary: 'delete a task; no run of it starts afterwards',
    args: '<taskId>', positionals: ['taskId'], options: NO_OPTIONS,
    async run(ctx, _values, [taskId]) {
      await ctx.client().deleteTask(taskId!);
      return print(ctx, { taskId, deleted: true }, `Deleted ${taskId}`);
    },
  },
  pause: taskAction('pause a task: nothing runs until resume', (client, id) => client.pauseTask(id), 'Paused'),
  resume: taskAction('resume a task: runs from now on, missed runs skipped', (client, id) => client.resumeTask(id), 'Resumed'),
  trigger: {
    summary: 'run a task once, now',
    args: '<taskId>', positionals: ['taskId'], options: NO_OPTIONS,
    async run(ctx, _values, [taskId]) {
      const { executionId } = await ctx.client().triggerTask(taskId!);
      return print(ctx, { executionId }, `Triggered ${taskId}: execution ${executionId}\nFollow it: tock logs ${taskId}`);
    },
  },
  logs: {
    summary: 'print executions and follow new ones as they happen',
    args: '<taskId> [--once]',
    positionals: ['taskId'],
    options: LOGS_OPTIONS,
    help: '      --once          print the latest executions and stop\n      --limit N       how many past executions to print first (default 10)\n' +
      '      --interval MS   how often to look for changes (default 1000)\n      --skipped       also the occurrences that did not run (overlap, paused, catch-up)',
    run: (ctx, values, [taskId]) => followExecutions(ctx, taskId!, values),
  },
  preview: {
    summary: 'the next runs of a schedule, with DST notes',
    args: '<schedule> [--timezone Z] [--count N]',
    positionals: ['schedule'],
    options: { timezone: { type: 'string', short: 'z' }, count: { type: 'string' }, from: { type: 'string' } },
    help: '  -z, --timezone ZONE   (default UTC)\n      --count N         1-100 (default 10)\n      --from ISO        start after this instant (default now)',
    async run(ctx, values, [schedule]) {
      const timezone = values.timezone as string | undefined;
      const preview = await ctx.client().previewSchedule({
        schedule: schedule!,
        ...(timezone === undefined ? {} : { timezone }),
        ...(values.count === undefined ? {} : { count: Number(values.count) }),
        ...(values.from === undefined ? {} : { from: values.from as string }),
      });
      const notes = new Map((preview.notes ?? []).map((n) => [n.at, n.note]));
      const lines = [`Runs ${scheduleInWords(schedule!, timezone)}:`, ...preview.runs.map((run) => `  ${instant(run)}${notes.has(run) ? `  ${notes.get(run)}` : ''}`)];
      return print(ctx, preview, lines.join('\n'));
    },
  },
};

async function localToken(ctx: CommandContext, user: string): Promise<string> {
  const fetchImpl = ctx.io.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await fetchImpl(`${ctx.url}/local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: user }) });
  } catch (error) {
    throw new TockApiError({ status: 0, title: 'Network error', detail: `Could not reach ${ctx.url}: ${(error as Error).message}` }, { cause: error });
  }
  const body = (await response.json().catch(() => ({}))) as { token?: string; title?: string; detail?: string; errors?: Array<{ path: string; message: string }> };
  if (!response.ok || typeof body.token !== 'string') {
    const hint = response.status === 404 ? ' (only the local stack issues tokens; on AWS set TOCK_TOKEN and run tock login)' : '';
    throw new TockApiError({ status: response.status, title: body.title ?? response.statusText, detail: `${body.detail ?? 'no token'}${hint}`, ...(body.errors ? { errors: body.errors } : {}) });
  }
  return body.token;
}
