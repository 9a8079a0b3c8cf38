import type { ExecutionRecord } from '../../lambdas/domain/execution';
import { isTerminal } from '../../lambdas/domain/execution';
import { occurrenceExecutionId, parseExecutionId } from '../../lambdas/domain/ids';
import type { ReceivedRequest } from './chaosReceiver';
import type { AttemptLog, InvocationOutcome } from './executorInvoker';
import type { PlannedTask } from './workload';

/** Everything the run left behind: the truth in DynamoDB and the evidence on both sides of the wire. */
export interface RunEvidence {
  readonly planned: readonly PlannedTask[];
  readonly records: readonly ExecutionRecord[];
  readonly requests: readonly ReceivedRequest[];
  readonly attempts: readonly AttemptLog[];
  readonly outcomes: ReadonlyMap<number, InvocationOutcome>;
}

export interface InvariantReport {
  readonly violations: string[];
  /** Occurrences of tasks that were neither deleted nor paused, all of which must have run. */
  readonly expectedOccurrences: number;
  /** Every execution recorded, including the ledger's SKIPPED ones and those of deleted or paused tasks. */
  readonly executions: number;
  readonly byStatus: Record<string, number>;
  readonly byKind: { oneShot: number; cron: number };
  /** Executions of deleted tasks still not terminal: invisible once the task is gone, removed by TTL. */
  readonly unsettledOfDeletedTasks: number;
  /** Executions the target answered 2xx at least once. */
  readonly delivered: number;
  /** Of those, executions the target got a successful delivery of more than once. */
  readonly redelivered: number;
  /** Attempts that got a 2xx but whose executor died before it recorded it. */
  readonly unrecordedSuccesses: number;
  /** From an occurrence's due time to its first attempt (ms). */
  readonly startLagMs: readonly number[];
}

/**
 * The invariants of DESIGN.md, checked on what the run left behind:
 * one execution per occurrence, all terminal (2, 4); never early (1); one attempt at a time (3);
 * nothing starts after DELETE or pause returned (5); each execution delivered successfully once,
 * except where an executor died after the delivery (then again, with the same webhook-id).
 */
export function checkInvariants(evidence: RunEvidence): InvariantReport {
  const violations: string[] = [];
  const violate = (message: string): void => {
    if (violations.length < 200) violations.push(message);
  };
  const tasks = new Map(evidence.planned.map((t) => [t.taskId, t]));
  const recordsByTask = new Map<string, ExecutionRecord[]>();
  for (const record of evidence.records) recordsByTask.set(record.taskId, [...(recordsByTask.get(record.taskId) ?? []), record]);
  const attemptsByExecution = new Map<string, AttemptLog[]>();
  for (const attempt of evidence.attempts) attemptsByExecution.set(attempt.executionId, [...(attemptsByExecution.get(attempt.executionId) ?? []), attempt]);
  const requestsByExecution = new Map<string, ReceivedRequest[]>();
  for (const request of evidence.requests) requestsByExecution.set(request.executionId, [...(requestsByExecution.get(request.executionId) ?? []), request]);

  // One occurrence, one execution; every execution terminal.
  let expectedOccurrences = 0;
  let unsettledOfDeletedTasks = 0;
  const byStatus: Record<string, number> = {};
  const byKind = { oneShot: 0, cron: 0 };
  for (const task of evidence.planned) {
    const records = recordsByTask.get(task.taskId) ?? [];
    const ids = new Set(task.occurrences.map((t) => occurrenceExecutionId(task.taskId, new Date(t))));
    for (const record of records) {
      byStatus[record.status] = (byStatus[record.status] ?? 0) + 1;
      byKind[task.kind === 'one-shot' ? 'oneShot' : 'cron'] += 1;
      if (!ids.has(record.executionId)) violate(`${record.executionId}: an execution for an instant the schedule of ${task.taskId} does not have`);
      if (isTerminal(record.status)) continue;
      if (task.deletedAt !== null) unsettledOfDeletedTasks += 1;
      else violate(`${record.executionId}: ${record.status}, not terminal, at the end`);
    }
    if (task.deletedAt !== null || task.pausedAt !== null) continue;
    const recorded = new Set(records.map((r) => r.executionId));
    for (const id of ids) {
      expectedOccurrences += 1;
      if (!recorded.has(id)) violate(`${id}: an occurrence of ${task.taskId} that never got an execution`);
    }
    if (task.deleteAt !== null && task.deletedAt === null) violate(`${task.taskId}: its DELETE never returned`);
  }
  for (const record of evidence.records) if (!tasks.has(record.taskId)) violate(`${record.executionId}: an execution of a task the suite never made`);

  // Never early; the same webhook-id on every request, naming the occurrence it was sent for.
  for (const request of evidence.requests) {
    if (request.receivedAt < request.scheduledFor) violate(`${request.executionId}#${request.attempt}: received ${request.scheduledFor - request.receivedAt} ms before it was due`);
    const parsed = parseExecutionId(request.executionId);
    if (!parsed || parsed.taskId !== request.taskId || parsed.scheduledForMs !== request.scheduledFor) {
      violate(`${request.executionId}: webhook-id does not name task ${request.taskId} at ${new Date(request.scheduledFor).toISOString()}`);
    }
  }
  const startLagMs: number[] = [];
  for (const [executionId, attempts] of attemptsByExecution) {
    attempts.sort((a, b) => a.sentAt - b.sentAt);
    startLagMs.push(attempts[0]!.sentAt - attempts[0]!.scheduledFor);
    for (const attempt of attempts) {
      if (attempt.startedAt < attempt.scheduledFor) violate(`${executionId}#${attempt.attempt}: started ${attempt.scheduledFor - attempt.startedAt} ms before it was due`);
    }
    // One attempt at a time, each under its own number.
    for (let i = 1; i < attempts.length; i++) {
      const previous = attempts[i - 1]!;
      if (previous.endedAt === null || attempts[i]!.sentAt < previous.endedAt) violate(`${executionId}: attempt ${attempts[i]!.attempt} sent while attempt ${previous.attempt} was still running`);
    }
    const numbers = attempts.map((a) => a.attempt);
    if (new Set(numbers).size !== numbers.length) violate(`${executionId}: attempt numbers repeat (${numbers.join(', ')})`);
    // Delete and pause win.
    const task = tasks.get(attempts[0]!.taskId);
    const stop = Math.min(task?.deletedAt ?? Infinity, task?.pausedAt ?? Infinity);
    for (const attempt of attempts) {
      if (attempt.startedAt > stop) violate(`${executionId}#${attempt.attempt}: started ${attempt.startedAt - stop} ms after its task's ${task?.deletedAt === stop ? 'DELETE' : 'pause'} returned`);
    }
  }
  for (const request of evidence.requests) {
    if (!evidence.attempts.some((a) => a.executionId === request.executionId && a.attempt === request.attempt)) violate(`${request.executionId}#${request.attempt}: a request no executor sent`);
  }

  // Delivered successfully once; more only after an executor died between delivery and record.
  const records = new Map(evidence.records.map((r) => [r.executionId, r]));
  let delivered = 0;
  let redelivered = 0;
  let unrecordedSuccesses = 0;
  for (const [executionId, attempts] of attemptsByExecution) {
    const successes = attempts.filter((a) => a.result?.kind === 'succeeded');
    if (successes.length === 0) continue;
    delivered += 1;
    if (successes.length > 1) redelivered += 1;
    const record = records.get(executionId);
    // The success the record holds, if it is SUCCEEDED; every other one must have been lost with
    // the executor that got it (crashed, killed or failed before its record was written).
    const recorded = record?.status === 'SUCCEEDED' ? successes.find((a) => a.attempt === record.attempt) : undefined;
    const others = successes.filter((a) => a !== recorded);
    const unrecorded = others.filter((a) => evidence.outcomes.get(a.invocation) !== 'done');
    unrecordedSuccesses += unrecorded.length;
    if ((record?.status === 'SUCCEEDED' && !recorded) || unrecorded.length !== others.length) {
      violate(
        `${executionId}: ${successes.length} successful deliveries (attempts ${successes.map((a) => a.attempt).join(', ')}; ${unrecorded.length} lost with their executor) for an execution that ended ${record?.status ?? 'without a record'} at attempt ${record?.attempt}`,
      );
    }
    const sameId = (requestsByExecution.get(executionId) ?? []).every((r) => r.executionId === executionId);
    if (!sameId) violate(`${executionId}: redelivered under another webhook-id`);
  }
  for (const record of evidence.records) {
    const numbers = record.attempts.map((a) => a.attempt);
    if (numbers.some((n, i) => n !== i + 1) || (record.status !== 'SKIPPED' && numbers.length !== record.attempt)) {
      violate(`${record.executionId}: attempt history ${numbers.join(',')} does not count up to ${record.attempt}`);
    }
    if (record.status === 'SUCCEEDED' && !attemptsByExecution.get(record.executionId)?.some((a) => a.result?.kind === 'succeeded')) {
      violate(`${record.executionId}: SUCCEEDED without a successful delivery`);
    }
  }
  return {
    violations,
    expectedOccurrences,
    executions: evidence.records.length,
    byStatus,
    byKind,
    unsettledOfDeletedTasks,
    delivered,
    redelivered,
    unrecordedSuccesses,
    startLagMs,
  };
}
