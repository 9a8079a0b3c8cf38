import type { Clock, DueIndex, ExecutionStore, PayloadStore, TaskStore, WorkMessage } from './ports';
import type { ExecutionRecord } from '../domain/execution';
import { isTerminal } from '../domain/execution';
import type { AttemptResult, ExecutionIdentity } from '../domain/executionTransitions';
import { identityOf } from './workIdentity';
import { attemptsMade, cancelledExecution, failedExecution, historyBeforeAttempt, settleAttempt, takenOverExecution } from '../domain/executionTransitions';
import { isUnrecordedLease } from '../domain/views';
import { shardOf } from '../domain/ids';
import type { Lease, TaskHead } from '../domain/task';
import { LEASE_MARGIN_MS } from './leases';

/** Longest an executor waits in-process for a message that arrived before its due instant. */
const MAX_EARLY_WAIT_MS = 5_000;

export interface DeliveryAttempt {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
  readonly timeoutMs: number;
  readonly identity: ExecutionIdentity;
  readonly attempt: number;
  readonly userId: string;
}

export interface WorkExecutorDeps {
  readonly tasks: TaskStore;
  readonly executions: ExecutionStore;
  readonly dueIndex: DueIndex;
  readonly payloads: PayloadStore;
  readonly clock: Clock;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly shardCount: number;
  /** Upper bound of an attempt; the lease is this plus a margin. */
  readonly maxAttemptTimeoutMs: number;
  /** Signs and sends one attempt; never throws for target behaviour. */
  readonly deliver: (attempt: DeliveryAttempt, startedAt: Date) => Promise<AttemptResult>;
  readonly onSettled?: (record: ExecutionRecord, startLagMs: number | null) => void;
}

export type WorkOutcome = 'done' | 'not-yet';

/** The body a target receives: a string payload as itself, anything else as its JSON text. */
export function bodyOf(payloadJson: string): string {
  const value: unknown = JSON.parse(payloadJson);
  return typeof value === 'string' ? value : payloadJson;
}

/**
 * Runs one delivery of an execution: claim, attempt, record. Safe under duplicates, redeliveries
 * and crashes at any step (invariants 1-5 in DESIGN.md).
 */
export class WorkExecutor {
  constructor(private readonly deps: WorkExecutorDeps) {}

  async execute(message: WorkMessage): Promise<WorkOutcome> {
    const { clock } = this.deps;
    const notBefore = Math.max(message.d, Date.parse(message.s));
    const early = notBefore - clock.now().getTime();
    if (early > MAX_EARLY_WAIT_MS) return 'not-yet';
    // Invariant 1: never before the due instant, by this executor's own clock.
    if (early > 0) await this.deps.sleep(early);

    const record = await this.deps.executions.get(message.u, message.t, message.e, true);
    if (record && isTerminal(record.status)) return 'done';
    if (record && record.status === 'RETRYING' && record.attempt >= message.a) return 'done';

    const identity = identityOf(message);
    const startedAt = clock.now();
    const recordedAttempt = record?.attempt ?? 0;
    const lease: Lease = {
      attempt: recordedAttempt + 1,
      scheduledFor: message.s,
      startedAt: startedAt.toISOString(),
      leaseUntil: startedAt.getTime() + this.deps.maxAttemptTimeoutMs + LEASE_MARGIN_MS,
    };
    const claim = await this.deps.tasks.claim({
      userId: message.u,
      taskId: message.t,
      executionId: message.e,
      lease,
      // A recurring task is COMPLETED as its last run is handed over: that run still runs.
      allowedStatuses: identity.kind === 'trigger' ? ['ACTIVE', 'COMPLETED', 'FAILED'] : ['ACTIVE', 'COMPLETED'],
      recordedAttempt,
      now: startedAt.getTime(),
    });
    if (!claim.claimed) {
      if (claim.reason === 'not-runnable') {
        const reason = `the task was ${claim.head!.status} before the run`;
        await this.deps.executions.record(cancelledExecution(identity, record, reason, clock.now()));
      }
      const holder = claim.reason === 'held' ? claim.head?.running[message.e] : undefined;
      if (holder && isUnrecordedLease(holder, record)) {
        // Held by an attempt with no result yet, whose executor may have died; this message is
        // dropped, so someone must look again when that lease runs out (1 write, duplicates only).
        await this.deps.dueIndex.put({
          shard: shardOf(message.t, this.deps.shardCount),
          dueAt: holder.leaseUntil + 1,
          userId: message.u,
          taskId: message.t,
          executionId: message.e,
          scheduledFor: message.s,
          attempt: holder.attempt,
          kind: 'watch',
          gen: claim.head!.gen,
        });
      }
      return 'done';
    }
    const head = claim.head;
    const lost = claim.previousLease && isUnrecordedLease(claim.previousLease, record) ? claim.previousLease : undefined;
    const attempt = attemptsMade(record, lost) + 1;
    const history = historyBeforeAttempt(record, lost);
    if (attempt > head.retryPolicy.maxAttempts) {
      const reason = `no attempts left: attempt ${attempt - 1} was lost (crash or time-out)`;
      await this.deps.executions.record(failedExecution(identity, history, attempt - 1, reason, clock.now(), record));
      return 'done';
    }
    // A takeover: the lost attempt goes into the history, then this attempt's lease takes its own
    // number (the claim wrote `recorded + 1`), both before anything is sent. Without the new
    // number the next takeover would count this attempt as the lost one again, and a crash loop
    // would never run out of attempts. In this order a crash in between loses neither: once the
    // history is written, our lease counts as recorded and the next delivery simply claims.
    const takenOver = lost ? takenOverExecution(identity, history, attempt - 1, record) : undefined;
    if (takenOver) await this.deps.executions.record(takenOver);
    if (attempt !== lease.attempt) {
      const ours = await this.deps.tasks.renumberLease({ userId: message.u, taskId: message.t, executionId: message.e, lease, attempt });
      if (!ours) return 'done';
    }

    const result = await this.attempt(head, identity, attempt, startedAt);
    if (result === 'task-deleted') {
      // Deleted after our claim but before anything was sent: delete wins, nothing is sent.
      await this.deps.executions.record(cancelledExecution(identity, takenOver ?? record, 'the task was deleted before the run', clock.now()));
      return 'done';
    }
    const finishedAt = clock.now();
    const settled = settleAttempt(
      { identity, history, attempt, startedAt, finishedAt, result, retryPolicy: head.retryPolicy, firstStartedAt: record?.startedAt ?? null },
      this.deps.random,
    );
    if (settled.status === 'RETRYING') {
      // The retry's due entry goes first: should we crash before the record, the retry still runs
      // (as a takeover), while a record without its entry would wait forever.
      await this.deps.dueIndex.put({
        shard: shardOf(message.t, this.deps.shardCount),
        dueAt: Date.parse(settled.nextAttemptAt!),
        userId: message.u,
        taskId: message.t,
        executionId: message.e,
        scheduledFor: message.s,
        attempt: attempt + 1,
        kind: 'retry',
        gen: head.gen,
      });
    }
    await this.deps.executions.record(settled);
    this.deps.onSettled?.(settled, attempt === 1 ? startedAt.getTime() - Date.parse(message.s) : null);
    return 'done';
  }

  private async attempt(head: TaskHead, identity: ExecutionIdentity, attempt: number, startedAt: Date): Promise<AttemptResult | 'task-deleted'> {
    let body: string | undefined;
    try {
      // A missing payload means the task was deleted since the claim, unless an eventually
      // consistent read missed a task created a moment ago: only a consistent read can tell.
      const stored = (await this.deps.tasks.getPayload(head.userId, head.taskId)) ?? (await this.deps.tasks.getPayload(head.userId, head.taskId, true));
      if (!stored) return 'task-deleted';
      const json = stored.s3Key ? await this.deps.payloads.get(stored.s3Key) : (stored.json ?? 'null');
      body = head.target.method === 'GET' ? undefined : bodyOf(json);
    } catch (error) {
      return { kind: 'retriable', error: `could not load the payload: ${(error as Error).message}`, durationMs: 0 };
    }
    return this.deps.deliver(
      {
        url: head.target.url,
        method: head.target.method,
        headers: { ...head.target.headers },
        body,
        timeoutMs: Math.min(head.target.timeoutSeconds * 1000, this.deps.maxAttemptTimeoutMs),
        identity,
        attempt,
        userId: head.userId,
      },
      startedAt,
    );
  }
}
