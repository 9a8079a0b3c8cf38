/** What happens to an occurrence that falls due while the previous execution is still going. */
export type OverlapPolicy = 'ALLOW' | 'SKIP' | 'BUFFER_ONE';

/** What runs of the occurrences missed while the scheduler was down or behind. */
export type CatchUpPolicy = 'LATEST' | 'ALL' | 'NONE';

/** A task's scheduling options beyond its expression (issue 4; docs/schedules.md). */
export interface SchedulePolicy {
  /** No run before this instant (ISO); rate schedules count from it. */
  readonly startAt: string | null;
  /** No run after this instant (ISO); the task completes when it passes. */
  readonly endAt: string | null;
  /** The task completes after this many runs. */
  readonly maxRuns: number | null;
  readonly overlapPolicy: OverlapPolicy;
  readonly catchUpPolicy: CatchUpPolicy;
  /** With `ALL`: missed occurrences older than this are skipped. */
  readonly catchUpWindowSeconds: number;
  /** Runs start up to this many seconds after their due time, the same delay for the same occurrence. */
  readonly jitterSeconds: number;
}

export const DEFAULT_SCHEDULE_POLICY: SchedulePolicy = {
  startAt: null,
  endAt: null,
  maxRuns: null,
  overlapPolicy: 'ALLOW',
  catchUpPolicy: 'LATEST',
  catchUpWindowSeconds: 3600,
  jitterSeconds: 0,
};

/**
 * The delay of one occurrence: a hash of its execution id spread over [0, jitterSeconds), so
 * every scanner, and every retry of it, agrees on it. Never negative: jitter only delays.
 */
export function jitterMs(executionId: string, jitterSeconds: number): number {
  if (jitterSeconds <= 0) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < executionId.length; i++) {
    hash ^= executionId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % (jitterSeconds * 1000);
}

/** Why an occurrence did not run, as the run ledger records it. */
export type SkipReason = 'OVERLAP' | 'PAUSED' | 'CATCH_UP';

export const SKIP_MESSAGES: Record<SkipReason, string> = {
  OVERLAP: 'skipped: the previous execution had not finished (overlap policy)',
  PAUSED: 'missed while the task was paused',
  CATCH_UP: 'missed while the scheduler was down or behind, and dropped by the catch-up policy',
};
