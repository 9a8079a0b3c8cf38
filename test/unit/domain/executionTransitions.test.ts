import { describe, expect, it } from 'vitest';
import { attemptsMade, cancelledExecution, historyBeforeAttempt, settleAttempt } from '../../../lambdas/domain/executionTransitions';
import type { ExecutionIdentity } from '../../../lambdas/domain/executionTransitions';
import type { ExecutionRecord } from '../../../lambdas/domain/execution';
import type { Lease } from '../../../lambdas/domain/task';

const identity: ExecutionIdentity = {
  executionId: 'exe_01JD0000000000000000000000_1764579600000',
  taskId: 'tsk_01JD0000000000000000000000',
  userId: 'alice',
  kind: 'scheduled',
  scheduledFor: '2025-12-01T09:00:00.000Z',
};
const policy = { maxAttempts: 3, backoffSeconds: 2, maxBackoffSeconds: 300 };
const t0 = new Date('2025-12-01T09:00:00.100Z');
const t1 = new Date('2025-12-01T09:00:00.300Z');

function retrying(attempt: number): ExecutionRecord {
  return {
    ...identity,
    status: 'RETRYING',
    attempt,
    attempts: [{ attempt, startedAt: t0.toISOString(), finishedAt: t1.toISOString(), outcome: 'RETRIABLE_FAILURE', statusCode: 500, error: 'HTTP 500', durationMs: 200 }],
    startedAt: t0.toISOString(),
    finishedAt: null,
    result: { statusCode: 500, body: '' },
    error: { message: 'HTTP 500' },
    nextAttemptAt: t1.toISOString(),
  };
}

describe('settleAttempt', () => {
  it('should mark a 2xx attempt SUCCEEDED with its result and history', () => {
    const record = settleAttempt(
      { identity, history: [], attempt: 1, startedAt: t0, finishedAt: t1, result: { kind: 'succeeded', statusCode: 200, body: 'ok', durationMs: 200 }, retryPolicy: policy, firstStartedAt: null },
      () => 0.5,
    );
    expect(record.status).toBe('SUCCEEDED');
    expect(record.result).toEqual({ statusCode: 200, body: 'ok' });
    expect(record.attempts).toHaveLength(1);
    expect(record.finishedAt).toBe(t1.toISOString());
    expect(record.error).toBeNull();
  });

  it('should schedule a retriable failure with attempts left as RETRYING after a backoff of at least one second', () => {
    const record = settleAttempt(
      { identity, history: [], attempt: 1, startedAt: t0, finishedAt: t1, result: { kind: 'retriable', statusCode: 503, error: 'HTTP 503', durationMs: 200 }, retryPolicy: policy, firstStartedAt: null },
      () => 0,
    );
    expect(record.status).toBe('RETRYING');
    expect(Date.parse(record.nextAttemptAt!) - t1.getTime()).toBeGreaterThanOrEqual(1000);
    expect(record.finishedAt).toBeNull();
  });

  it('should honour a longer Retry-After', () => {
    const record = settleAttempt(
      { identity, history: [], attempt: 1, startedAt: t0, finishedAt: t1, result: { kind: 'retriable', statusCode: 429, error: 'HTTP 429', durationMs: 5, retryAfterMs: 30_000 }, retryPolicy: policy, firstStartedAt: null },
      () => 0.99,
    );
    expect(Date.parse(record.nextAttemptAt!) - t1.getTime()).toBe(30_000);
  });

  it('should fail a retriable failure on the last attempt and say no attempts are left', () => {
    const record = settleAttempt(
      { identity, history: retrying(2).attempts, attempt: 3, startedAt: t0, finishedAt: t1, result: { kind: 'retriable', statusCode: 500, error: 'HTTP 500', durationMs: 5 }, retryPolicy: policy, firstStartedAt: t0.toISOString() },
      () => 0.5,
    );
    expect(record.status).toBe('FAILED');
    expect(record.error?.message).toContain('no attempts left');
    expect(record.nextAttemptAt).toBeNull();
  });

  it('should fail a non-retriable failure at once', () => {
    const record = settleAttempt(
      { identity, history: [], attempt: 1, startedAt: t0, finishedAt: t1, result: { kind: 'failed', statusCode: 400, error: 'HTTP 400', durationMs: 5 }, retryPolicy: policy, firstStartedAt: null },
      () => 0.5,
    );
    expect(record.status).toBe('FAILED');
    expect(record.attempt).toBe(1);
  });
});

describe('takeover history', () => {
  const lost: Lease = { attempt: 2, scheduledFor: identity.scheduledFor, startedAt: t1.toISOString(), leaseUntil: t1.getTime() + 1000 };

  it('should count and record an attempt whose lease expired without a result as LOST', () => {
    expect(attemptsMade(retrying(1), lost)).toBe(2);
    const history = historyBeforeAttempt(retrying(1), lost);
    expect(history.map((a) => a.outcome)).toEqual(['RETRIABLE_FAILURE', 'LOST']);
  });

  it('should not invent a lost attempt for a lease whose attempt was recorded', () => {
    const recorded: Lease = { ...lost, attempt: 1 };
    expect(historyBeforeAttempt(retrying(1), recorded)).toHaveLength(1);
    expect(attemptsMade(retrying(1), recorded)).toBe(1);
  });
});

describe('cancelledExecution', () => {
  it('should keep the attempts made and give the reason', () => {
    const record = cancelledExecution(identity, retrying(1), 'the task was PAUSED before the run', t1);
    expect(record.status).toBe('CANCELLED');
    expect(record.attempt).toBe(1);
    expect(record.error?.message).toContain('PAUSED');
  });
});
