import type { ExecutionStore, PayloadStore, TaskStore, Clock } from './ports';
import type { TaskHead } from '../domain/task';
import type { ExecutionRecord } from '../domain/execution';
import type { ExecutionView, TaskView } from '../domain/views';
import { derivedStatus, executionView } from '../domain/views';
import { ExecutionNotFoundError, TaskNotFoundError } from '../domain/errors';
import { occurrenceExecutionId, parseExecutionId } from '../domain/ids';
import { parseSchedule, previewRuns } from '../domain/schedule';
import type { TaskStatus } from '../domain/task';
import { parseForApi } from './scheduleRules';
import { policyOf } from './occurrencePlan';

export interface TaskQueryDeps {
  readonly tasks: TaskStore;
  readonly executions: ExecutionStore;
  readonly payloads: PayloadStore;
  readonly clock: Clock;
  /** How stored target headers are shown (secrets redacted). */
  readonly presentHeaders: (headers: Readonly<Record<string, string>>) => Record<string, string>;
}

function oneShotAt(head: TaskHead): Date | null {
  try {
    const schedule = parseSchedule(head.schedule, head.timezone);
    return schedule.kind === 'at' ? schedule.at : null;
  } catch {
    return null;
  }
}

/** The read side of the API: tasks and executions as users see them. */
export class TaskQueries {
  constructor(private readonly deps: TaskQueryDeps) {}

  /** The newest execution: a recorded one, or one whose first attempt is in flight. */
  private lastExecution(head: TaskHead, latest: ExecutionRecord | undefined): ExecutionView | null {
    const candidates: ExecutionView[] = [];
    if (latest) {
      const view = executionView(head, latest.executionId, latest, head.running[latest.executionId], false);
      if (view) candidates.push(view);
    }
    for (const [executionId, lease] of Object.entries(head.running)) {
      if (executionId === latest?.executionId) continue;
      if (latest && lease.scheduledFor <= latest.scheduledFor) continue;
      const view = executionView(head, executionId, undefined, lease, false);
      if (view) candidates.push(view);
    }
    candidates.sort((a, b) => (a.scheduledFor < b.scheduledFor ? 1 : -1));
    return candidates[0] ?? null;
  }

  private async viewOf(head: TaskHead, payload: unknown | undefined, includePayload: boolean): Promise<TaskView> {
    const at = oneShotAt(head);
    let latest = await this.deps.executions.latest(head.userId, head.taskId);
    let occurrence: ExecutionRecord | undefined;
    let oneShotStarted = false;
    if (at !== null) {
      const id = occurrenceExecutionId(head.taskId, at);
      occurrence = latest?.executionId === id ? latest : await this.deps.executions.get(head.userId, head.taskId, id, false);
      // The newest-executions query may lag the occurrence's own read: the status shown and the
      // last execution shown must come from the same record.
      if (occurrence && (!latest || latest.scheduledFor < occurrence.scheduledFor)) latest = occurrence;
      // A one-shot task's head is not rewritten when it runs: its run count is its occurrence's.
      oneShotStarted = (occurrence !== undefined && occurrence.status !== 'SKIPPED' && occurrence.status !== 'PENDING') || head.running[id] !== undefined;
    }
    const derived = derivedStatus(head, at, occurrence);
    const view: TaskView = {
      taskId: head.taskId,
      name: head.name,
      schedule: head.schedule,
      timezone: head.timezone,
      target: { ...head.target, headers: this.deps.presentHeaders(head.target.headers) },
      ...(includePayload ? { payload } : {}),
      retryPolicy: head.retryPolicy,
      status: derived.status,
      statusReason: derived.reason,
      nextRunAt: derived.nextRunAt,
      createdAt: head.createdAt,
      updatedAt: head.updatedAt,
      version: head.version,
      lastExecution: this.lastExecution(head, latest),
      ...policyOf(head),
      runCount: at !== null ? (oneShotStarted ? 1 : 0) : head.runCount,
    };
    return view;
  }

  async payloadOf(userId: string, taskId: string): Promise<string> {
    const stored = await this.deps.tasks.getPayload(userId, taskId);
    if (!stored) return 'null';
    return stored.s3Key ? this.deps.payloads.get(stored.s3Key) : (stored.json ?? 'null');
  }

  async get(userId: string, taskId: string): Promise<TaskView> {
    const head = await this.deps.tasks.getHead(userId, taskId, true);
    if (!head) throw new TaskNotFoundError(taskId);
    return this.present(head);
  }

  /** The task as the API returns it after a write. */
  async present(head: TaskHead): Promise<TaskView> {
    const json = await this.payloadOf(head.userId, head.taskId);
    return this.viewOf(head, JSON.parse(json), true);
  }

  async list(
    userId: string,
    query: { limit: number; nextToken?: string; status?: TaskStatus },
  ): Promise<{ items: TaskView[]; nextToken: string | null }> {
    const items: TaskView[] = [];
    let cursor = query.nextToken;
    // A status filter applies to the derived status, so a page is refilled a few times.
    for (let round = 0; round < 5; round++) {
      const page = await this.deps.tasks.listHeads(userId, query.limit - items.length, cursor);
      const views = await Promise.all(page.items.map((head) => this.viewOf(head, undefined, false)));
      items.push(...views.filter((v) => !query.status || v.status === query.status));
      cursor = page.cursor ?? undefined;
      if (!cursor || items.length >= query.limit || !query.status) break;
    }
    return { items, nextToken: cursor ?? null };
  }

  private async headOf(userId: string, taskId: string): Promise<TaskHead> {
    const head = await this.deps.tasks.getHead(userId, taskId, true);
    if (!head) throw new TaskNotFoundError(taskId);
    return head;
  }

  async listExecutions(
    userId: string,
    taskId: string,
    query: { limit: number; nextToken?: string; include?: 'skipped' },
  ): Promise<{ items: ExecutionView[]; nextToken: string | null }> {
    const head = await this.headOf(userId, taskId);
    const page = await this.deps.executions.list(userId, taskId, query.limit, query.nextToken, query.include === 'skipped');
    const recorded = new Set(page.items.map((r) => r.executionId));
    const views = page.items.map((record) => executionView(head, record.executionId, record, head.running[record.executionId], false)!);
    if (!query.nextToken) {
      // First attempts in flight have no record yet: they are the newest executions.
      const oldestShown = page.cursor ? page.items[page.items.length - 1]?.scheduledFor : undefined;
      for (const [executionId, lease] of Object.entries(head.running)) {
        if (recorded.has(executionId) || (oldestShown && lease.scheduledFor < oldestShown)) continue;
        const known = await this.deps.executions.get(userId, taskId, executionId, false);
        if (known) continue;
        views.push(executionView(head, executionId, undefined, lease, false)!);
      }
      views.sort((a, b) => (a.scheduledFor < b.scheduledFor ? 1 : a.scheduledFor > b.scheduledFor ? -1 : 0));
    }
    return { items: views, nextToken: page.cursor };
  }

  async getExecution(userId: string, taskId: string, executionId: string): Promise<ExecutionView> {
    const head = await this.headOf(userId, taskId);
    if (parseExecutionId(executionId)?.taskId !== taskId) throw new ExecutionNotFoundError(executionId);
    const record = await this.deps.executions.get(userId, taskId, executionId, true);
    const view = executionView(head, executionId, record, head.running[executionId], true);
    if (!view) throw new ExecutionNotFoundError(executionId);
    return view;
  }

  preview(body: { schedule: string; timezone?: string; from?: string; count: number }): { runs: string[]; notes: Array<{ at: string; note: string }> } {
    const timezone = body.timezone ?? 'UTC';
    const schedule = parseForApi(body.schedule, timezone);
    const from = body.from ? new Date(body.from) : this.deps.clock.now();
    const runs = previewRuns(schedule, from, body.count, from);
    return {
      runs: runs.map((r) => r.at.toISOString()),
      notes: runs.filter((r) => r.note).map((r) => ({ at: r.at.toISOString(), note: r.note! })),
    };
  }
}
