import { createHash } from 'node:crypto';
import type { Clock, DueEntry, DueIndex, ExecutionStore, NewTask, PayloadStore, TaskStore, WorkQueue } from './ports';
import type { HttpTarget, RetryPolicy, TaskHead } from '../domain/task';
import { DEFAULT_RETRY_POLICY } from '../domain/task';
import type { CreateTaskBody, UpdateTaskBody } from '../domain/schemas';
import { MAX_PAYLOAD_BYTES } from '../domain/schemas';
import { newTaskId, occurrenceExecutionId, shardOf, triggerExecutionId } from '../domain/ids';
import { PayloadTooLargeError, ScheduleTooFrequentError, TaskNotFoundError, TaskStateConflictError, ValidationError, VersionConflictError } from '../domain/errors';
import { isRecurring, minimumIntervalSeconds, nextRun, parseSchedule } from '../domain/schedule';
import type { Schedule } from '../domain/schedule';
import { anchorFor, firstRun, parseForApi } from './scheduleRules';
import type { SchedulePolicy } from '../domain/schedulePolicy';
import { DEFAULT_SCHEDULE_POLICY, jitterMs } from '../domain/schedulePolicy';
import { skippedExecution } from '../domain/executionTransitions';
import { policyOf, MAX_CATCH_UP } from './occurrencePlan';
import { prunableLeases } from './leases';

/** Payloads larger than this go to S3 (a DynamoDB item holds at most 400 KB). */
export const INLINE_PAYLOAD_BYTES = 300 * 1024;
const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/**
 * A one-shot run due sooner than this may already be behind the scanner's cursor (it reads 1 s
 * ahead), where only its once-a-second look back finds it: it is also sent at once.
 */
const SEND_AT_ONCE_WITHIN_MS = 2_000;

export interface TaskCommandDeps {
  readonly tasks: TaskStore;
  readonly executions: ExecutionStore;
  readonly payloads: PayloadStore;
  readonly queue: WorkQueue;
  readonly dueIndex: DueIndex;
  readonly clock: Clock;
  readonly shardCount: number;
  /** Create-time check of a target URL (SSRF guard); returns a reason when refused. */
  readonly checkTargetUrl: (url: string) => string | null;
  /**
   * Seals the values of sensitive headers (Authorization, tokens, keys) for storage. A value given
   * as "[redacted]", as the API shows it, keeps the value already stored under that name.
   */
  readonly sealHeaders: (headers: Readonly<Record<string, string>>, stored: Readonly<Record<string, string>>) => Promise<Record<string, string>>;
  /** The minimum-interval quota (TOCK_MIN_INTERVAL_SECONDS): runs of one task at least this far apart. */
  readonly minIntervalSeconds?: number;
}

export interface SerializedPayload {
  readonly json: string;
  readonly s3Key: string | null;
}

function serializePayload(payload: unknown): string {
  const json = JSON.stringify(payload === undefined ? null : payload);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > MAX_PAYLOAD_BYTES) throw new PayloadTooLargeError(bytes, MAX_PAYLOAD_BYTES);
  return json;
}

function retryPolicyOf(input: CreateTaskBody['retryPolicy']): RetryPolicy {
  if (!input) return DEFAULT_RETRY_POLICY;
  const maxBackoffSeconds = input.maxBackoffSeconds ?? Math.max(input.backoffSeconds, DEFAULT_RETRY_POLICY.maxBackoffSeconds);
  return { maxAttempts: input.maxAttempts, backoffSeconds: input.backoffSeconds, maxBackoffSeconds };
}

const POLICY_KEYS = ['startAt', 'endAt', 'maxRuns', 'overlapPolicy', 'catchUpPolicy', 'catchUpWindowSeconds', 'jitterSeconds'] as const;

/** The scheduling options of a body, over `base` for the fields it leaves out. */
function policyFrom(body: Partial<Record<(typeof POLICY_KEYS)[number], unknown>>, base: SchedulePolicy): SchedulePolicy {
  const pick = <K extends (typeof POLICY_KEYS)[number]>(key: K): SchedulePolicy[K] =>
    (body[key] === undefined ? base[key] : body[key]) as SchedulePolicy[K];
  const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString());
  return {
    startAt: iso(pick('startAt')),
    endAt: iso(pick('endAt')),
    maxRuns: pick('maxRuns'),
    overlapPolicy: pick('overlapPolicy'),
    catchUpPolicy: pick('catchUpPolicy'),
    catchUpWindowSeconds: pick('catchUpWindowSeconds'),
    jitterSeconds: pick('jitterSeconds'),
  };
}

/** Creates, changes and removes tasks: the write side of the API. */
export class TaskCommands {
  constructor(private readonly deps: TaskCommandDeps) {}

  private checkTarget(target: HttpTarget, path: string): void {
    const reason = this.deps.checkTargetUrl(target.url);
    if (reason) throw new ValidationError([{ path: `${path}.url`, message: reason }]);
  }

  /** A new or changed schedule must not run more often than the operator allows. */
  private checkInterval(schedule: Schedule): void {
    const limit = this.deps.minIntervalSeconds;
    const interval = limit === undefined ? null : minimumIntervalSeconds(schedule);
    if (interval !== null && interval < limit!) throw new ScheduleTooFrequentError(interval, limit!);
  }

  private entryFor(head: TaskHead, scheduledFor: Date, now: Date): DueEntry {
    const executionId = occurrenceExecutionId(head.taskId, scheduledFor);
    return {
      shard: shardOf(head.taskId, this.deps.shardCount),
      dueAt: Math.max(scheduledFor.getTime() + jitterMs(executionId, policyOf(head).jitterSeconds), now.getTime()),
      userId: head.userId,
      taskId: head.taskId,
      executionId: occurrenceExecutionId(head.taskId, scheduledFor),
      scheduledFor: scheduledFor.toISOString(),
      attempt: 1,
      kind: 'occurrence',
      gen: head.gen,
    };
  }

  private async storePayload(taskId: string, json: string): Promise<SerializedPayload> {
    if (Buffer.byteLength(json, 'utf8') <= INLINE_PAYLOAD_BYTES) return { json, s3Key: null };
    const s3Key = `payloads/${taskId}/${createHash('sha256').update(json).digest('hex').slice(0, 16)}`;
    await this.deps.payloads.put(s3Key, json);
    return { json: '', s3Key };
  }

  async create(
    userId: string,
    body: CreateTaskBody,
    idempotencyKey: string | undefined,
  ): Promise<{ taskId: string; replayed: boolean }> {
    const now = this.deps.clock.now();
    const timezone = body.timezone ?? 'UTC';
    const schedule = parseForApi(body.schedule, timezone);
    this.checkInterval(schedule);
    const target: HttpTarget = {
      type: 'http',
      url: body.target.url,
      method: body.target.method,
      headers: await this.deps.sealHeaders(body.target.headers, {}),
      timeoutSeconds: body.target.timeoutSeconds,
    };
    this.checkTarget(target, 'target');
    const json = serializePayload(body.payload);
    const policy = policyFrom(body, DEFAULT_SCHEDULE_POLICY);
    const anchor = anchorFor(policy, now);
    const first = firstRun(schedule, now, anchor, policy);
    const taskId = newTaskId(now);
    const head: TaskHead = {
      userId,
      taskId,
      name: body.name ?? null,
      schedule: body.schedule,
      timezone,
      target,
      retryPolicy: retryPolicyOf(body.retryPolicy),
      status: first ? 'ACTIVE' : 'COMPLETED',
      statusReason: first ? null : 'the schedule has no future runs',
      nextRunAt: first?.toISOString() ?? null,
      anchor: anchor.toISOString(),
      policy,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      version: 1,
      gen: 1,
      runCount: 0,
      payloadBytes: Buffer.byteLength(json, 'utf8'),
      running: {},
    };
    const payload = await this.storePayload(taskId, json);
    const task: NewTask = {
      head,
      payloadJson: payload.json,
      payloadS3Key: payload.s3Key,
      firstEntry: first ? this.entryFor(head, first, now) : null,
      idempotency: idempotencyKey ? { key: idempotencyKey, bodyHash: createHash('sha256').update(JSON.stringify(body)).digest('hex') } : null,
    };
    const outcome = await this.deps.tasks.create(task, Math.floor(now.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS);
    if (!outcome.created && payload.s3Key) await this.deps.payloads.delete(payload.s3Key);
    if (outcome.created) await this.sendIfDueNow(head, task.firstEntry, now);
    return outcome.created ? { taskId, replayed: false } : { taskId: outcome.taskId, replayed: true };
  }

  private async current(userId: string, taskId: string, ifMatch: number | undefined): Promise<TaskHead> {
    const head = await this.deps.tasks.getHead(userId, taskId, true);
    if (!head) throw new TaskNotFoundError(taskId);
    if (ifMatch !== undefined && head.version !== ifMatch) throw new VersionConflictError(ifMatch, head.version);
    return head;
  }

  /**
   * Applies `change` to the current head and writes it on the condition that nobody changed the
   * task meanwhile. Without If-Match a lost race is retried on the fresh head.
   */
  private async mutate(
    userId: string,
    taskId: string,
    ifMatch: number | undefined,
    change: (head: TaskHead, now: Date) => Promise<{ head: TaskHead; entry: DueEntry | null; payload?: SerializedPayload }> | null,
  ): Promise<TaskHead> {
    for (let round = 1; ; round++) {
      const head = await this.current(userId, taskId, ifMatch);
      const now = this.deps.clock.now();
      const pending = change(head, now);
      if (!pending) return head;
      const next = await pending;
      const updated: TaskHead = { ...next.head, version: head.version + 1, updatedAt: now.toISOString() };
      try {
        await this.deps.tasks.replace(updated, head.version, {
          payloadJson: next.payload?.json,
          payloadS3Key: next.payload?.s3Key,
          entry: next.entry,
          removeLeases: prunableLeases(head.running, now.getTime()),
        });
        await this.sendIfDueNow(updated, next.entry, now);
        return updated;
      } catch (error) {
        if (error instanceof VersionConflictError && ifMatch === undefined && round < 5) continue;
        if (error instanceof VersionConflictError) {
          const fresh = await this.deps.tasks.getHead(userId, taskId, true);
          if (!fresh) throw new TaskNotFoundError(taskId);
          throw new VersionConflictError(ifMatch ?? head.version, fresh.version);
        }
        throw error;
      }
    }
  }

  /** The next run of a (re)scheduled task, and the head fields that go with it. */
  private reschedule(head: TaskHead, schedule: Schedule, now: Date): { head: TaskHead; entry: DueEntry | null } {
    const anchor = anchorFor(policyOf(head), now);
    const first = firstRun(schedule, now, anchor, policyOf(head));
    const moved: TaskHead = {
      ...head,
      gen: head.gen + 1,
      anchor: anchor.toISOString(),
      nextRunAt: first?.toISOString() ?? null,
      status: first ? 'ACTIVE' : 'COMPLETED',
      statusReason: first ? null : 'the schedule has no future runs',
      runCount: 0,
      lastHandedOver: null,
      buffered: null,
    };
    return { head: moved, entry: first ? this.entryFor(moved, first, now) : null };
  }

  async update(userId: string, taskId: string, patch: UpdateTaskBody, ifMatch: number | undefined): Promise<TaskHead> {
    const timezoneChanged = patch.timezone !== undefined;
    const policyChanged = POLICY_KEYS.some((k) => patch[k] !== undefined);
    const scheduleChanged = patch.schedule !== undefined || timezoneChanged || policyChanged;
    const json = patch.payload !== undefined || 'payload' in patch ? serializePayload(patch.payload) : undefined;
    if (patch.target) this.checkTarget(patch.target as HttpTarget, 'target');
    return this.mutate(userId, taskId, ifMatch, async (head, now) => {
      const target: HttpTarget | undefined = patch.target
        ? { ...patch.target, type: 'http', headers: await this.deps.sealHeaders(patch.target.headers, head.target.headers) }
        : undefined;
      let next: TaskHead = {
        ...head,
        name: patch.name === undefined ? head.name : patch.name,
        target: target ?? head.target,
        retryPolicy: patch.retryPolicy ? retryPolicyOf(patch.retryPolicy) : head.retryPolicy,
        payloadBytes: json === undefined ? head.payloadBytes : Buffer.byteLength(json, 'utf8'),
        policy: policyFrom(patch, policyOf(head)),
      };
      let entry: DueEntry | null = null;
      if (scheduleChanged) {
        const expression = patch.schedule ?? head.schedule;
        const timezone = patch.timezone ?? head.timezone;
        const schedule = parseForApi(expression, timezone);
        if (patch.schedule !== undefined) this.checkInterval(schedule);
        next = { ...next, schedule: expression, timezone };
        if (head.status === 'PAUSED') {
          next = { ...next, gen: head.gen + 1, nextRunAt: null };
        } else {
          const moved = this.reschedule(next, schedule, now);
          next = moved.head;
          entry = moved.entry;
        }
      }
      const payload = json === undefined ? undefined : await this.storePayload(taskId, json);
      return { head: next, entry, payload };
    });
  }

  async delete(userId: string, taskId: string): Promise<void> {
    // Read before the delete: the store removes the payload item with the head.
    const stored = await this.deps.tasks.getPayload(userId, taskId);
    const removed = await this.deps.tasks.delete(userId, taskId);
    if (!removed) throw new TaskNotFoundError(taskId);
    if (stored?.s3Key) await this.deps.payloads.delete(stored.s3Key);
  }

  async pause(userId: string, taskId: string): Promise<TaskHead> {
    return this.mutate(userId, taskId, undefined, (head, now) => {
      if (head.status === 'PAUSED') return null;
      if (head.status !== 'ACTIVE') throw new TaskStateConflictError(`task is ${head.status}; only an ACTIVE task can be paused`);
      return Promise.resolve({
        head: { ...head, status: 'PAUSED', gen: head.gen + 1, nextRunAt: null, statusReason: null, pausedAt: now.toISOString(), buffered: null },
        entry: null,
      });
    });
  }

  async resume(userId: string, taskId: string): Promise<TaskHead> {
    return this.mutate(userId, taskId, undefined, (head, now) => {
      if (head.status !== 'PAUSED') {
        if (head.status === 'ACTIVE') return null;
        throw new TaskStateConflictError(`task is ${head.status}; only a PAUSED task can be resumed`);
      }
      const schedule = parseForApi(head.schedule, head.timezone);
      const policy = policyOf(head);
      // Runs missed while paused are skipped: the next run counts from now.
      let next = isRecurring(schedule)
        ? firstRun(schedule, now, new Date(head.anchor), policy)
        : schedule.kind === 'at' && schedule.at.getTime() >= now.getTime()
          ? schedule.at
          : null;
      if (policy.maxRuns !== null && head.runCount >= policy.maxRuns) next = null;
      const resumed: TaskHead = {
        ...head,
        status: next ? 'ACTIVE' : 'COMPLETED',
        statusReason: next ? null : isRecurring(schedule) ? 'the schedule has no further runs' : 'its one run fell due while the task was paused and was skipped',
        gen: head.gen + 1,
        nextRunAt: next?.toISOString() ?? null,
        pausedAt: null,
      };
      return this.recordMissedWhilePaused(head, schedule, now).then(() => ({
        head: resumed,
        entry: next ? this.entryFor(resumed, next, now) : null,
      }));
    });
  }

  /** The run ledger: each occurrence that fell due while the task was paused, with its reason. */
  private async recordMissedWhilePaused(head: TaskHead, schedule: Schedule, now: Date): Promise<void> {
    if (!head.pausedAt) return;
    const anchor = new Date(head.anchor);
    const missed: Date[] = [];
    for (let t = nextRun(schedule, new Date(head.pausedAt), anchor); t && t.getTime() < now.getTime() && missed.length < MAX_CATCH_UP; t = nextRun(schedule, t, anchor)) {
      missed.push(t);
    }
    await Promise.all(
      missed.map((t) =>
        this.deps.executions.record(
          skippedExecution(
            { executionId: occurrenceExecutionId(head.taskId, t), taskId: head.taskId, userId: head.userId, kind: 'scheduled', scheduledFor: t.toISOString() },
            'PAUSED',
            now,
          ),
        ),
      ),
    );
  }

  /** A one-shot run due within SEND_AT_ONCE_WITHIN_MS is sent now as well as left to the scanner. */
  private async sendIfDueNow(head: TaskHead, entry: DueEntry | null, now: Date): Promise<void> {
    if (!entry || entry.dueAt > now.getTime() + SEND_AT_ONCE_WITHIN_MS) return;
    // A recurring task's run is the scanner's to hand over: it advances the task as it does.
    if (isRecurring(parseSchedule(head.schedule, head.timezone))) return;
    await this.sendNow(entry);
  }

  /**
   * Sends an entry's work with the de-duplication id the scanner gives it, so that the scanner's
   * own send of it is dropped by SQS (and, past SQS's five minutes, by the claim).
   */
  private async sendNow(entry: DueEntry): Promise<void> {
    try {
      await this.deps.queue.send([
        {
          message: { u: entry.userId, t: entry.taskId, e: entry.executionId, s: entry.scheduledFor, a: entry.attempt, d: Math.max(entry.dueAt, Date.parse(entry.scheduledFor)), k: entry.kind },
          deduplicationId: `${entry.executionId}:${entry.attempt}`,
        },
      ]);
    } catch {
      // The due entry is the truth: the scanner (or its sweep) hands the run over if this send failed.
    }
  }

  /** One run now, outside the schedule. The work is also sent at once, so it starts without waiting for a scan. */
  async trigger(userId: string, taskId: string): Promise<string> {
    const head = await this.deps.tasks.getHead(userId, taskId, true);
    if (!head) throw new TaskNotFoundError(taskId);
    if (head.status === 'PAUSED') throw new TaskStateConflictError('task is PAUSED; resume it before triggering a run');
    const now = this.deps.clock.now();
    const executionId = triggerExecutionId(taskId, now);
    const entry: DueEntry = {
      shard: shardOf(taskId, this.deps.shardCount),
      dueAt: now.getTime(),
      userId,
      taskId,
      executionId,
      scheduledFor: now.toISOString(),
      attempt: 1,
      kind: 'trigger',
      gen: head.gen,
    };
    await this.deps.executions.record({
      executionId,
      taskId,
      userId,
      kind: 'trigger',
      scheduledFor: entry.scheduledFor,
      status: 'PENDING',
      attempt: 0,
      attempts: [],
      startedAt: null,
      finishedAt: null,
      result: null,
      error: null,
      nextAttemptAt: null,
    });
    await this.deps.dueIndex.put(entry);
    await this.sendNow(entry);
    return executionId;
  }
}
