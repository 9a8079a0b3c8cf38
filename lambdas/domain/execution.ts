import type { SkipReason } from './schedulePolicy';

/** `SKIPPED` is the run ledger's: an occurrence that did not run, with its reason. Listed on request only. */
export type ExecutionStatus = 'PENDING' | 'RUNNING' | 'RETRYING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'SKIPPED';

export const TERMINAL_STATUSES: ReadonlySet<ExecutionStatus> = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'SKIPPED']);

export function isTerminal(status: ExecutionStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

export type AttemptOutcome = 'RUNNING' | 'SUCCEEDED' | 'RETRIABLE_FAILURE' | 'FAILED' | 'LOST';

/**
 * One try at delivering an execution. `LOST` marks an attempt whose lease expired (crash, timeout);
 * `RUNNING` appears only in views, for the attempt in flight.
 */
export interface AttemptRecord {
  readonly attempt: number;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly outcome: AttemptOutcome;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly durationMs: number | null;
}

export interface ExecutionResult {
  readonly statusCode: number;
  readonly body: string;
}

export type ExecutionKind = 'scheduled' | 'trigger';

export interface ExecutionRecord {
  readonly executionId: string;
  readonly taskId: string;
  readonly userId: string;
  readonly kind: ExecutionKind;
  readonly scheduledFor: string;
  readonly status: ExecutionStatus;
  /** Attempts made so far. */
  readonly attempt: number;
  readonly attempts: readonly AttemptRecord[];
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly result: ExecutionResult | null;
  readonly error: { readonly message: string } | null;
  /** When a RETRYING execution's next attempt is due. */
  readonly nextAttemptAt: string | null;
  /** Why a SKIPPED occurrence did not run. */
  readonly skipReason?: SkipReason;
}
