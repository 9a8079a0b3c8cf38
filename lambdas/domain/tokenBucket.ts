/**
 * A token bucket kept as one number: its theoretical arrival time (GCRA). A bucket that refills
 * `ratePerSecond` tokens a second up to `burst` is full when `tat <= now`; spending `n` tokens moves
 * `tat` to `max(tat, now) + n * interval`, which is allowed while the result stays within
 * `now + burst * interval`. One number means one conditional write takes tokens, without a read.
 * Times are integer microseconds, so repeated additions never drift.
 */
export interface RateLimits {
  /** Tokens added per second (the sustained request rate). */
  readonly ratePerSecond: number;
  /** Bucket size: how many requests may come at once after a quiet spell. */
  readonly burst: number;
}

/** Microseconds one token is worth. */
export function tokenIntervalUs(limits: RateLimits): number {
  return Math.max(1, Math.round(1_000_000 / limits.ratePerSecond));
}

/** Tokens in the bucket at `nowUs`, given its theoretical arrival time (undefined: never used, full). */
export function tokensAvailable(tatUs: number | undefined, nowUs: number, limits: RateLimits): number {
  const interval = tokenIntervalUs(limits);
  const debt = Math.max(0, (tatUs ?? nowUs) - nowUs);
  return Math.max(0, Math.min(limits.burst, Math.floor((limits.burst * interval - debt) / interval)));
}

/** Where `tat` may be at most before `tokens` more are taken at `nowUs`. */
export function highestTatForSpending(tokens: number, nowUs: number, limits: RateLimits): number {
  return nowUs + (limits.burst - tokens) * tokenIntervalUs(limits);
}

/** Whole seconds (at least 1) until the bucket holds one token again: the `Retry-After` value. */
export function secondsUntilToken(tatUs: number | undefined, nowUs: number, limits: RateLimits): number {
  const waitUs = (tatUs ?? nowUs) - highestTatForSpending(1, nowUs, limits);
  return Math.max(1, Math.ceil(waitUs / 1_000_000));
}

/**
 * Tokens a container takes from the shared bucket at once: a tenth of a second's worth, at most a
 * tenth of the burst, at least one. Larger leases mean fewer writes; smaller ones strand fewer
 * tokens in containers that then go quiet (docs/security.md).
 */
export function leaseSize(limits: RateLimits): number {
  return Math.max(1, Math.min(Math.ceil(limits.ratePerSecond / 10), Math.floor(limits.burst / 10)));
}
