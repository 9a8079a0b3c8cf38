/**
 * The v1 API's objects as a client sees them (CONTRACT.md and docs/api.md). Written from the
 * contract, not imported from the server, so the console and the CLI depend on the public shape only.
 */

export type TaskStatus = 'ACTIVE' | 'PAUSED' | 'COMPLETED' | 'FAILED';
export const TASK_STATUSES: readonly TaskStatus[] = ['ACTIVE', 'PAUSED', 'COMPLETED', 'FAILED'];

/** `SKIPPED`: the run ledger's record of an occurrence that did not run (listed with `include=skipped`). */
export type ExecutionStatus = 'PENDING' | 'RUNNING' | 'RETRYING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'SKIPPED';
/** Statuses after which an execution no longer changes. */
export const FINISHED_EXECUTION_STATUSES: ReadonlySet<ExecutionStatus> = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'SKIPPED']);

export type SkipReason = 'OVERLAP' | 'PAUSED' | 'CATCH_UP';
export type OverlapPolicy = 'ALLOW' | 'SKIP' | 'BUFFER_ONE';
export type CatchUpPolicy = 'LATEST' | 'ALL' | 'NONE';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export const HTTP_METHODS: readonly HttpMethod[] = ['POST', 'GET', 'PUT', 'PATCH', 'DELETE'];

export interface HttpTarget {
  readonly type: 'http';
  readonly url: string;
  readonly method?: HttpMethod;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutSeconds?: number;
}

export interface RetryPolicy {
  readonly maxAttempts?: number;
  readonly backoffSeconds?: number;
  readonly maxBackoffSeconds?: number;
}

export interface Attempt {
  readonly attempt: number;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly outcome: 'RUNNING' | 'SUCCEEDED' | 'RETRIABLE_FAILURE' | 'FAILED' | 'LOST';
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly durationMs: number | null;
}

export interface Execution {
  readonly executionId: string;
  readonly taskId: string;
  readonly scheduledFor: string;
  readonly status: ExecutionStatus;
  readonly attempt: number;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly result: { readonly statusCode: number; readonly body: string } | null;
  readonly error: { readonly message: string } | null;
  readonly kind?: 'scheduled' | 'trigger';
  readonly nextAttemptAt?: string | null;
  /** Why a SKIPPED occurrence did not run. */
  readonly skipReason?: SkipReason;
  /** On the detail route only. */
  readonly attempts?: readonly Attempt[];
}

export interface Task extends RunPolicy {
  readonly taskId: string;
  readonly name: string | null;
  readonly schedule: string;
  readonly timezone: string;
  readonly target: Required<HttpTarget>;
  /** Absent in lists. */
  readonly payload?: unknown;
  readonly retryPolicy: Required<RetryPolicy>;
  readonly status: TaskStatus;
  readonly statusReason?: string | null;
  readonly nextRunAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
  readonly lastExecution: Execution | null;
  /** Runs so far (for maxRuns). */
  readonly runCount?: number;
}

/** How a schedule runs beyond its expression (docs/schedules.md); every field optional. */
export interface RunPolicy {
  /** No run before this instant (ISO). */
  readonly startAt?: string | null;
  /** No run after this instant (ISO). */
  readonly endAt?: string | null;
  /** The task completes after this many runs. */
  readonly maxRuns?: number | null;
  /** What happens when a run is due while the previous one still runs. */
  readonly overlapPolicy?: OverlapPolicy;
  /** What happens to runs missed while the task could not run. */
  readonly catchUpPolicy?: CatchUpPolicy;
  readonly catchUpWindowSeconds?: number;
  /** Each run starts up to this many seconds late, at random. */
  readonly jitterSeconds?: number;
}

/** The body of `POST /v1/tasks`; `PATCH` takes any subset of it. */
export interface TaskInput extends RunPolicy {
  readonly name?: string | null;
  readonly schedule: string;
  readonly timezone?: string;
  readonly target: HttpTarget;
  readonly payload?: unknown;
  readonly retryPolicy?: RetryPolicy;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextToken: string | null;
}

export interface SchedulePreview {
  readonly runs: readonly string[];
  /** DST notes: a run that a clock change moved or merged. */
  readonly notes?: ReadonlyArray<{ readonly at: string; readonly note: string }>;
}

/** One offending field of a request: `path` is dotted (`target.url`, `retryPolicy.maxAttempts`). */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** An RFC 9457 problem document, as every 4xx/5xx answers. */
export interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly status: number;
  readonly detail?: string;
  readonly errors?: readonly FieldError[];
}
