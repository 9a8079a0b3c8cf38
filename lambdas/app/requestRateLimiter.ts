import type { RateLimits } from '../domain/tokenBucket';
import { highestTatForSpending, leaseSize, secondsUntilToken, tokenIntervalUs, tokensAvailable } from '../domain/tokenBucket';
import { RateLimitedError } from '../domain/errors';
import type { Clock } from './ports';

/** The outcome of one conditional write to a user's bucket. */
export type BucketWrite = { readonly written: true } | { readonly written: false; readonly tatUs: number | undefined };

/**
 * Where the users' buckets live (one item per user, shared by every Lambda instance). Both writes
 * are conditional, so tokens leave a bucket only while it holds them, whatever instances race.
 */
export interface RateBucketStore {
  /** A full (or never used) bucket: sets `tat = nowUs + costUs` if `tat` is missing or `<= nowUs`. */
  spendFromFull(userId: string, nowUs: number, costUs: number): Promise<BucketWrite>;
  /** A bucket in use: adds `costUs` to `tat` if `nowUs < tat <= highestTatUs`. */
  spendFromPartial(userId: string, nowUs: number, costUs: number, highestTatUs: number): Promise<BucketWrite>;
}

export interface RequestRateLimiterOptions {
  readonly store: RateBucketStore;
  readonly clock: Clock;
  readonly limits: RateLimits;
  /** Tokens taken from the shared bucket per write. @default leaseSize(limits) */
  readonly leaseTokens?: number;
  /** Leased tokens not spent within this long are dropped. @default 1000 */
  readonly leaseMs?: number;
  /** Called when the store fails; the request is let through (fail open). */
  readonly onStoreError?: (error: unknown) => void;
}

interface Lease {
  tokens: number;
  expiresAt: number;
  /** The bucket's `tat` as last seen, to pick the right write first next time. */
  lastTatUs: number | undefined;
}

/** Conditional writes one lease may try while other instances take the same user's tokens. */
const LEASE_ROUNDS = 6;

/** Users whose leases one instance remembers; the oldest are forgotten first. */
const MAX_REMEMBERED_USERS = 10_000;

/**
 * The per-user request limit. Each instance leases a few tokens from the user's shared bucket with
 * one conditional write and spends them locally, so most requests cost no write at all; a user is
 * never let through more often than the shared bucket allows, however many instances serve them.
 */
export class RequestRateLimiter {
  private readonly leases = new Map<string, Lease>();
  private readonly leaseTokens: number;
  private readonly leaseMs: number;

  constructor(private readonly options: RequestRateLimiterOptions) {
    this.leaseTokens = Math.max(1, Math.min(options.leaseTokens ?? leaseSize(options.limits), options.limits.burst));
    this.leaseMs = options.leaseMs ?? 1000;
  }

  /** Takes one token for `userId`, or throws RateLimitedError with the seconds to wait. */
  async take(userId: string): Promise<void> {
    const now = this.options.clock.now().getTime();
    const nowUs = now * 1000;
    const lease = this.leases.get(userId);
    if (lease && lease.tokens > 0 && lease.expiresAt > now) {
      lease.tokens -= 1;
      return;
    }
    // `tat` only grows, so the last value seen is a lower bound: when even it leaves no token, the
    // request is refused without a write (a flood of refused requests costs no capacity).
    const knownTatUs = lease?.lastTatUs;
    if (knownTatUs !== undefined && tokensAvailable(knownTatUs, nowUs, this.options.limits) < 1) {
      throw new RateLimitedError(secondsUntilToken(knownTatUs, nowUs, this.options.limits));
    }
    let granted: { tokens: number; tatUs: number | undefined };
    try {
      granted = await this.lease(userId, knownTatUs);
    } catch (error) {
      this.options.onStoreError?.(error);
      return;
    }
    // Requests of one user served at once by this instance may each have leased: keep what is left of both.
    const current = this.leases.get(userId);
    const left = current && current.expiresAt > now ? current.tokens : 0;
    const lastTatUs = Math.max(granted.tatUs ?? 0, current?.lastTatUs ?? 0) || undefined;
    this.remember(userId, { tokens: left + Math.max(0, granted.tokens - 1), expiresAt: now + this.leaseMs, lastTatUs });
    if (granted.tokens === 0) throw new RateLimitedError(secondsUntilToken(granted.tatUs, nowUs, this.options.limits));
  }

  private remember(userId: string, lease: Lease): void {
    this.leases.delete(userId);
    if (this.leases.size >= MAX_REMEMBERED_USERS) this.leases.delete(this.leases.keys().next().value!);
    this.leases.set(userId, lease);
  }

  /**
   * Up to `leaseTokens` from the shared bucket. Which of the two writes fits depends on `tat`,
   * which we do not read first: we guess from the last value seen, and a failed condition returns
   * the current one, so the second try is informed. Races with other instances may need more.
   */
  private async lease(userId: string, lastTatUs: number | undefined): Promise<{ tokens: number; tatUs: number | undefined }> {
    const { limits, store, clock } = this.options;
    const interval = tokenIntervalUs(limits);
    let tatUs = lastTatUs;
    for (let round = 0; round < LEASE_ROUNDS; round++) {
      // The clock is read again each round: the `tat` another instance just wrote was computed
      // from its later clock, and an older `now` would undercount the tokens left.
      const nowUs = clock.now().getTime() * 1000;
      const wanted = Math.min(this.leaseTokens, tokensAvailable(tatUs, nowUs, limits));
      if (wanted < 1) break;
      const cost = wanted * interval;
      const full = tatUs === undefined || tatUs <= nowUs;
      const write = full
        ? await store.spendFromFull(userId, nowUs, cost)
        : await store.spendFromPartial(userId, nowUs, cost, highestTatForSpending(wanted, nowUs, limits));
      if (write.written) return { tokens: wanted, tatUs: (full ? nowUs : tatUs!) + cost };
      tatUs = write.tatUs;
    }
    // Empty, or other instances kept taking the last tokens first: nothing for this request.
    return { tokens: 0, tatUs };
  }
}
