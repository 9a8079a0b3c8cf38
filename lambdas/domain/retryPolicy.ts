import type { RetryPolicy } from './task';

/** Longest `Retry-After` a target can impose on one retry. */
export const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

/**
 * Delay before attempt `nextAttempt` (2-based: the first retry is attempt 2): exponential backoff
 * with full jitter, `random() * min(max, base * 2^(retry-1))`, floored at one second so a retry is
 * never immediate. A target's `Retry-After` is honoured when longer, up to MAX_RETRY_AFTER_MS.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  nextAttempt: number,
  random: () => number,
  retryAfterMs?: number,
): number {
  const retry = Math.max(1, nextAttempt - 1);
  const ceilingMs = Math.min(policy.maxBackoffSeconds * 1000, policy.backoffSeconds * 1000 * 2 ** (retry - 1));
  const jittered = Math.max(1000, Math.floor(random() * ceilingMs));
  const honoured = retryAfterMs === undefined ? 0 : Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
  return Math.max(jittered, honoured);
}

/** Whether another attempt may follow `attemptsMade`. */
export function hasAttemptsLeft(policy: RetryPolicy, attemptsMade: number): boolean {
  return attemptsMade < policy.maxAttempts;
}
