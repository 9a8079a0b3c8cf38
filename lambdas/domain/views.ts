import type { ExecutionRecord, ExecutionStatus } from './execution';
import { isTerminal } from './execution';
import type { HttpTarget, Lease, RetryPolicy, TaskHead, TaskStatus } from './task';
import { occurrenceExecutionId } from './ids';
import type { SchedulePolicy } from './schedulePolicy';

/** The public execution object (CONTRACT.md, Executions). */
export interface ExecutionView {
  readonly executionId: string;
  readonly taskId: string;
  readonly scheduledFor: string;
  readonly status: ExecutionStatus;
  readonly attempt: number;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly result: { readonly statusCode: number; readonly body: string } | null;
  readonly error: { readonly message: string } | null;
  readonly kind: ExecutionRecord['kind'];
  readonly nextAttemptAt: string | null;
  readonly skipReason?: ExecutionRecord['skipReason'];
  readonly attempts?: ExecutionRecord['attempts'];
}

/** The public task object (CONTRACT.md, Tasks). */
export interface TaskView {
  readonly taskId: string;
  readonly name: string | null;
  readonly schedule: string;
  readonly timezone: string;
  readonly target: HttpTarget;
  readonly payload?: unknown;
  readonly retryPolicy: RetryPolicy;
  readonly status: TaskStatus;
  readonly statusReason: string | null;
  readonly nextRunAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
  readonly lastExecution: ExecutionView | null;
  readonly startAt: string | null;
  readonly endAt: string | null;
  readonly maxRuns: number | null;
  readonly overlapPolicy: SchedulePolicy['overlapPolicy'];
  readonly catchUpPolicy: SchedulePolicy['catchUpPolicy'];
  readonly catchUpWindowSeconds: number;
  readonly jitterSeconds: number;
  /** Occurrences handed over so far. */
  readonly runCount: number;
}

/**
 * A lease counts while its attempt has not been recorded yet; leases of recorded attempts stay on
 * the head for a while (docs/data-model.md) and mean nothing for the view.
 */
export function isUnrecordedLease(lease: Lease, record: ExecutionRecord | undefined): boolean {
  return record === undefined || lease.attempt > record.attempt;
}

/** The execution as a user sees it: the stored record, overlaid by an attempt still in flight. */
export function executionView(
  head: Pick<TaskHead, 'taskId' | 'userId'>,
  executionId: string,
  record: ExecutionRecord | undefined,
  lease: Lease | undefined,
  withAttempts: boolean,
): ExecutionView | undefined {
  const running = lease !== undefined && isUnrecordedLease(lease, record) ? lease : undefined;
  if (!record && !running) return undefined;
  const base: ExecutionView = {
    executionId,
    taskId: head.taskId,
    scheduledFor: record?.scheduledFor ?? running!.scheduledFor,
    status: running ? 'RUNNING' : record!.status,
    attempt: running ? running.attempt : record!.attempt,
    startedAt: record?.startedAt ?? running?.startedAt ?? null,
    finishedAt: running ? null : (record?.finishedAt ?? null),
    result: record?.result ?? null,
    error: running ? null : (record?.error ?? null),
    kind: record?.kind ?? (executionId.includes('_t') ? 'trigger' : 'scheduled'),
    nextAttemptAt: running ? null : (record?.nextAttemptAt ?? null),
    ...(record?.skipReason ? { skipReason: record.skipReason } : {}),
  };
  if (!withAttempts) return base;
  const attempts = [...(record?.attempts ?? [])];
  if (running) {
    attempts.push({
      attempt: running.attempt,
      startedAt: running.startedAt,
      finishedAt: null,
      outcome: 'RUNNING',
      statusCode: null,
      error: null,
      durationMs: null,
    });
  }
  return { ...base, attempts };
}

/** Executions in flight that have no record yet (their first attempt is running). */
export function unrecordedRunning(head: TaskHead, recorded: ReadonlySet<string>): Array<[string, Lease]> {
  return Object.entries(head.running).filter(([id]) => !recorded.has(id));
}

/**
 * A one-shot task's own occurrence decides its status: the head is not rewritten when it runs,
 * so COMPLETED / FAILED are derived from the occurrence's execution.
 */
export function derivedStatus(
  head: TaskHead,
  oneShotAt: Date | null,
  occurrence: ExecutionRecord | undefined,
): { status: TaskStatus; reason: string | null; nextRunAt: string | null } {
  if (head.status !== 'ACTIVE') return { status: head.status, reason: head.statusReason, nextRunAt: null };
  if (oneShotAt === null) return { status: 'ACTIVE', reason: null, nextRunAt: head.nextRunAt };
  const claimed = occurrence !== undefined || head.running[occurrenceExecutionId(head.taskId, oneShotAt)] !== undefined;
  if (!claimed) return { status: 'ACTIVE', reason: null, nextRunAt: head.nextRunAt };
  if (occurrence && isTerminal(occurrence.status)) {
    if (occurrence.status === 'SUCCEEDED') return { status: 'COMPLETED', reason: 'the one-shot run succeeded', nextRunAt: null };
    return { status: 'FAILED', reason: `the one-shot run ended ${occurrence.status}`, nextRunAt: null };
  }
  return { status: 'ACTIVE', reason: null, nextRunAt: null };
}
