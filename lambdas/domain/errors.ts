/** A field-level problem with user input, as RFC 9457 `errors[]` carries it. */
export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

/** Bad input: a 400 that names every offending field. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    readonly problems: readonly FieldProblem[],
    options?: { cause?: unknown },
  ) {
    super(problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; '), options);
  }
}

export class TaskNotFoundError extends Error {
  override readonly name = 'TaskNotFoundError';
  constructor(readonly taskId: string) {
    super(`task ${taskId} does not exist`);
  }
}

export class ExecutionNotFoundError extends Error {
  override readonly name = 'ExecutionNotFoundError';
  constructor(readonly executionId: string) {
    super(`execution ${executionId} does not exist`);
  }
}

/** `If-Match` named a version that is not the current one. */
export class VersionConflictError extends Error {
  override readonly name = 'VersionConflictError';
  constructor(readonly expected: number, readonly actual: number | undefined) {
    super(actual === undefined ? `the task changed (expected version ${expected})` : `version is ${actual}, not ${expected}`);
  }
}

/** The same `Idempotency-Key` came with another body. */
export class IdempotencyConflictError extends Error {
  override readonly name = 'IdempotencyConflictError';
  constructor(readonly key: string) {
    super(`Idempotency-Key "${key}" was already used with a different request body`);
  }
}

/** The action does not fit the task's state (e.g. trigger on a paused task). */
export class TaskStateConflictError extends Error {
  override readonly name = 'TaskStateConflictError';
  constructor(message: string) {
    super(message);
  }
}

export class PayloadTooLargeError extends Error {
  override readonly name = 'PayloadTooLargeError';
  constructor(readonly bytes: number, readonly limit: number) {
    super(`payload is ${bytes} bytes serialized; the limit is ${limit} bytes (1 MiB)`);
  }
}

/** A per-user quota is used up (the number of tasks): a 429 naming the quota and its limit. */
export class QuotaExceededError extends Error {
  override readonly name = 'QuotaExceededError';
  constructor(readonly quota: string, readonly limit: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A schedule whose runs come closer together than the operator allows (the minimum-interval
 * quota): a 400 on `schedule`, since asking again later would not help, that also names the quota.
 */
export class ScheduleTooFrequentError extends Error {
  override readonly name = 'ScheduleTooFrequentError';
  readonly quota = 'minIntervalSeconds';
  constructor(readonly intervalSeconds: number, readonly limit: number) {
    super(`runs ${intervalSeconds} s apart at the closest; the minimum interval between runs is ${limit} s`);
  }

  get problems(): readonly FieldProblem[] {
    return [{ path: 'schedule', message: this.message }];
  }
}

/** Too many requests from one user; retry after the given seconds. */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  constructor(readonly retryAfterSeconds: number) {
    super(`too many requests; retry after ${retryAfterSeconds} s`);
  }
}
