import type { AttemptRecord, ExecutionKind, ExecutionRecord } from './execution';
import type { Lease, RetryPolicy } from './task';
import { hasAttemptsLeft, retryDelayMs } from './retryPolicy';
import type { SkipReason } from './schedulePolicy';
import { SKIP_MESSAGES } from './schedulePolicy';

/** What identifies an execution, whatever its state. */
export interface ExecutionIdentity {
  readonly executionId: string;
  readonly taskId: string;
  readonly userId: string;
  readonly kind: ExecutionKind;
  readonly scheduledFor: string;
}

/** How one delivery attempt ended, as the delivery layer reports it. */
export type AttemptResult =
  | { readonly kind: 'succeeded'; readonly statusCode: number; readonly body: string; readonly durationMs: number }
  | { readonly kind: 'retriable'; readonly statusCode?: number; readonly body?: string; readonly error: string; readonly durationMs: number; readonly retryAfterMs?: number }
  | { readonly kind: 'failed'; readonly statusCode?: number; readonly body?: string; readonly error: string; readonly durationMs: number };

/** Attempts made so far, counting an attempt whose lease was lost before it could record itself. */
export function attemptsMade(previous: ExecutionRecord | undefined, lostLease: Lease | undefined): number {
  return Math.max(previous?.attempt ?? 0, lostLease?.attempt ?? 0);
}

/**
 * The history as it stands when a new attempt begins: what was recorded, plus a `LOST` attempt for
 * a lease that expired without a result (the takeover shows in the history).
 */
export function historyBeforeAttempt(previous: ExecutionRecord | undefined, lostLease: Lease | undefined): AttemptRecord[] {
  const history = [...(previous?.attempts ?? [])];
  if (lostLease && lostLease.attempt > (previous?.attempt ?? 0)) {
    history.push({
      attempt: lostLease.attempt,
      startedAt: lostLease.startedAt,
      finishedAt: null,
      outcome: 'LOST',
      statusCode: null,
      error: 'attempt lost: its lease expired before it recorded a result (crash or time-out)',
      durationMs: null,
    });
  }
  return history;
}

export interface CompletedAttempt {
  readonly identity: ExecutionIdentity;
  readonly history: readonly AttemptRecord[];
  readonly attempt: number;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly result: AttemptResult;
  readonly retryPolicy: RetryPolicy;
  readonly firstStartedAt: string | null;
}

/**
 * The execution after an attempt: SUCCEEDED on 2xx; RETRYING with the next attempt's time when
 * the failure is retriable and attempts remain; FAILED otherwise.
 */
export function settleAttempt(done: CompletedAttempt, random: () => number): ExecutionRecord {
  const { result } = done;
  const outcome = result.kind === 'succeeded' ? 'SUCCEEDED' : result.kind === 'retriable' ? 'RETRIABLE_FAILURE' : 'FAILED';
  const attemptRecord: AttemptRecord = {
    attempt: done.attempt,
    startedAt: done.startedAt.toISOString(),
    finishedAt: done.finishedAt.toISOString(),
    outcome,
    statusCode: result.statusCode ?? null,
    error: result.kind === 'succeeded' ? null : result.error,
    durationMs: result.durationMs,
  };
  const attempts = [...done.history, attemptRecord];
  const retry = result.kind === 'retriable' && hasAttemptsLeft(done.retryPolicy, done.attempt);
  const nextAttemptAt = retry
    ? new Date(done.finishedAt.getTime() + retryDelayMs(done.retryPolicy, done.attempt + 1, random, result.retryAfterMs))
    : null;
  const status = result.kind === 'succeeded' ? 'SUCCEEDED' : retry ? 'RETRYING' : 'FAILED';
  const errorMessage =
    result.kind === 'succeeded'
      ? null
      : result.kind === 'retriable' && !retry
        ? `${result.error} (no attempts left after ${done.attempt})`
        : result.error;
  return {
    ...done.identity,
    status,
    attempt: done.attempt,
    attempts,
    startedAt: done.firstStartedAt ?? done.startedAt.toISOString(),
    finishedAt: status === 'RETRYING' ? null : done.finishedAt.toISOString(),
    result: result.statusCode === undefined ? null : { statusCode: result.statusCode, body: result.body ?? '' },
    error: errorMessage === null ? null : { message: errorMessage },
    nextAttemptAt: nextAttemptAt?.toISOString() ?? null,
  };
}

/** An execution that will not run: its task was deleted or paused before the attempt. */
export function cancelledExecution(
  identity: ExecutionIdentity,
  previous: ExecutionRecord | undefined,
  reason: string,
  now: Date,
): ExecutionRecord {
  return {
    ...identity,
    status: 'CANCELLED',
    attempt: previous?.attempt ?? 0,
    attempts: previous?.attempts ?? [],
    startedAt: previous?.startedAt ?? null,
    finishedAt: now.toISOString(),
    result: previous?.result ?? null,
    error: { message: reason },
    nextAttemptAt: null,
  };
}

/**
 * A takeover under way: the lost attempt is written into the history before the next attempt is
 * sent, so that if the takeover is lost too, both losses show. Status RUNNING: an attempt is in
 * flight (the sweeper re-drives it when its lease runs out, as it does any unsettled execution).
 */
export function takenOverExecution(
  identity: ExecutionIdentity,
  history: readonly AttemptRecord[],
  lostAttempt: number,
  previous: ExecutionRecord | undefined,
): ExecutionRecord {
  return {
    ...identity,
    status: 'RUNNING',
    attempt: lostAttempt,
    attempts: history,
    startedAt: previous?.startedAt ?? history[0]?.startedAt ?? null,
    finishedAt: null,
    result: previous?.result ?? null,
    error: { message: `attempt ${lostAttempt} was lost (crash or time-out); taken over` },
    nextAttemptAt: null,
  };
}

/** An execution whose attempts ran out without a result being recorded (lost leases, DLQ). */
export function failedExecution(
  identity: ExecutionIdentity,
  history: readonly AttemptRecord[],
  attempt: number,
  reason: string,
  now: Date,
  previous: ExecutionRecord | undefined,
): ExecutionRecord {
  return {
    ...identity,
    status: 'FAILED',
    attempt,
    attempts: history,
    startedAt: previous?.startedAt ?? history[0]?.startedAt ?? null,
    finishedAt: now.toISOString(),
    result: previous?.result ?? null,
    error: { message: reason },
    nextAttemptAt: null,
  };
}

/** The run ledger's record of an occurrence that did not run. */
export function skippedExecution(identity: ExecutionIdentity, reason: SkipReason, now: Date): ExecutionRecord {
  return {
    ...identity,
    status: 'SKIPPED',
    attempt: 0,
    attempts: [],
    startedAt: null,
    finishedAt: now.toISOString(),
    result: null,
    error: { message: SKIP_MESSAGES[reason] },
    nextAttemptAt: null,
    skipReason: reason,
  };
}
