/** What a task calls when it runs. Header values named secret are stored sealed (secretBox). */
export interface HttpTarget {
  readonly type: 'http';
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
}

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly backoffSeconds: number;
  readonly maxBackoffSeconds: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, backoffSeconds: 2, maxBackoffSeconds: 300 };

import type { SchedulePolicy } from './schedulePolicy';

export type TaskStatus = 'ACTIVE' | 'PAUSED' | 'COMPLETED' | 'FAILED';

/** A claim on one execution: at most one attempt of it runs while the lease is live. */
export interface Lease {
  readonly attempt: number;
  readonly scheduledFor: string;
  readonly startedAt: string;
  /** Epoch ms after which another delivery may take the execution over. */
  readonly leaseUntil: number;
}

/**
 * The stored task, without its payload (docs/data-model.md: the head stays small because every
 * claim rewrites it).
 */
export interface TaskHead {
  readonly userId: string;
  readonly taskId: string;
  readonly name: string | null;
  readonly schedule: string;
  readonly timezone: string;
  readonly target: HttpTarget;
  readonly retryPolicy: RetryPolicy;
  readonly status: TaskStatus;
  /** Why the task reached its status by itself (e.g. "maxRuns reached"). */
  readonly statusReason: string | null;
  /** The occurrence the due index currently holds for this task (ISO), or null. */
  readonly nextRunAt: string | null;
  /** Start of a rate schedule's intervals (ISO). */
  readonly anchor: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
  /** Bumped when the schedule, time zone or pause state changes: due entries of older generations are stale. */
  readonly gen: number;
  /** Occurrences handed over so far (for maxRuns). */
  readonly runCount: number;
  readonly payloadBytes: number;
  readonly running: Readonly<Record<string, Lease>>;
  /** Scheduling options; absent on tasks written before they existed (then the defaults). */
  readonly policy?: SchedulePolicy;
  /** When the task was paused (for the run ledger on resume). */
  readonly pausedAt?: string | null;
  /** The occurrence handed over last (for the overlap policy). */
  readonly lastHandedOver?: string | null;
  /** BUFFER_ONE: the occurrence waiting for the previous execution to finish. */
  readonly buffered?: string | null;
}

/** The payload as stored: the exact bytes delivered to the target. */
export interface StoredPayload {
  /** JSON text of the payload as the user sent it. */
  readonly json: string;
}
