import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RequestRateLimiter } from '../../../lambdas/app/requestRateLimiter';
import type { BucketWrite, RateBucketStore } from '../../../lambdas/app/requestRateLimiter';
import { RateLimitedError } from '../../../lambdas/domain/errors';

/** The DynamoDB adapter's two conditional writes, in memory, counting writes. */
class MemoryBucketStore implements RateBucketStore {
  readonly tats = new Map<string, number>();
  writes = 0;

  async spendFromFull(userId: string, nowUs: number, costUs: number): Promise<BucketWrite> {
    this.writes++;
    const tat = this.tats.get(userId);
    if (tat !== undefined && tat > nowUs) return { written: false, tatUs: tat };
    this.tats.set(userId, nowUs + costUs);
    return { written: true };
  }

  async spendFromPartial(userId: string, nowUs: number, costUs: number, highestTatUs: number): Promise<BucketWrite> {
    this.writes++;
    const tat = this.tats.get(userId);
    if (tat === undefined || tat <= nowUs || tat > highestTatUs) return { written: false, tatUs: tat };
    this.tats.set(userId, tat + costUs);
    return { written: true };
  }
}

function clockAt(start: number) {
  const clock = { ms: start, now: () => new Date(clock.ms) };
  return clock;
}

async function outcome(limiter: RequestRateLimiter, userId: string): Promise<'ok' | number> {
  try {
    await limiter.take(userId);
    return 'ok';
  } catch (error) {
    if (error instanceof RateLimitedError) return error.retryAfterSeconds;
    throw error;
  }
}

describe('RequestRateLimiter', () => {
  it('should let a burst through, then refuse with Retry-After until a token is back', async () => {
    // Prepare
    const clock = clockAt(Date.parse('2026-03-01T00:00:00Z'));
    const limiter = new RequestRateLimiter({ store: new MemoryBucketStore(), clock, limits: { ratePerSecond: 1, burst: 3 } });

    // Act
    const first = [];
    for (let i = 0; i < 4; i++) first.push(await outcome(limiter, 'alice'));
    clock.ms += 1000;
    const later = await outcome(limiter, 'alice');

    // Assess
    expect(first).toEqual(['ok', 'ok', 'ok', 1]);
    expect(later).toBe('ok');
  });

  it('should keep users apart', async () => {
    const clock = clockAt(0);
    const limiter = new RequestRateLimiter({ store: new MemoryBucketStore(), clock, limits: { ratePerSecond: 1, burst: 1 } });
    expect(await outcome(limiter, 'alice')).toBe('ok');
    expect(await outcome(limiter, 'alice')).toBe(1);
    expect(await outcome(limiter, 'bob')).toBe('ok');
  });

  it('should write once per lease, and not at all for refused requests it can refuse from what it saw', async () => {
    // Prepare
    const store = new MemoryBucketStore();
    const clock = clockAt(0);
    const limiter = new RequestRateLimiter({ store, clock, limits: { ratePerSecond: 100, burst: 200 } });

    // Act: 1000 requests in the same millisecond
    const results = [];
    for (let i = 0; i < 1000; i++) results.push(await outcome(limiter, 'alice'));

    // Assess: 200 allowed in leases of 10, then refused locally
    expect(results.filter((r) => r === 'ok')).toHaveLength(200);
    expect(store.writes).toBeLessThanOrEqual(21);
  });

  it('should let a request through when the store fails (fail open) and report it', async () => {
    const failing: RateBucketStore = { spendFromFull: () => Promise.reject(new Error('down')), spendFromPartial: () => Promise.reject(new Error('down')) };
    const errors: unknown[] = [];
    const limiter = new RequestRateLimiter({ store: failing, clock: clockAt(0), limits: { ratePerSecond: 1, burst: 1 }, onStoreError: (e) => errors.push(e) });
    expect(await outcome(limiter, 'alice')).toBe('ok');
    expect(errors).toHaveLength(1);
  });

  it('should never let more through than the shared bucket holds, whatever instances and timing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 60 }),
        fc.array(fc.record({ instance: fc.nat(3), advanceMs: fc.integer({ min: 0, max: 120 }) }), { minLength: 1, maxLength: 300 }),
        async (rate, burst, requests) => {
          // Prepare: four instances (Lambda containers) share one store
          const store = new MemoryBucketStore();
          const clock = clockAt(0);
          const limits = { ratePerSecond: rate, burst };
          const instances = [0, 1, 2, 3].map(() => new RequestRateLimiter({ store, clock, limits }));

          // Act
          let allowed = 0;
          for (const request of requests) {
            clock.ms += request.advanceMs;
            if ((await outcome(instances[request.instance]!, 'alice')) === 'ok') allowed++;
            // Assess: never more than the burst plus what refilled since the start
            const interval = Math.max(1, Math.round(1_000_000 / rate));
            expect(allowed).toBeLessThanOrEqual(burst + Math.floor((clock.ms * 1000) / interval));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('should let a lone instance use the whole rate over time', async () => {
    const clock = clockAt(0);
    const limiter = new RequestRateLimiter({ store: new MemoryBucketStore(), clock, limits: { ratePerSecond: 10, burst: 10 } });
    let allowed = 0;
    for (let i = 0; i < 1000; i++) {
      clock.ms += 10; // 100 requests a second for 10 s
      if ((await outcome(limiter, 'alice')) === 'ok') allowed++;
    }
    expect(allowed).toBeGreaterThanOrEqual(100);
    expect(allowed).toBeLessThanOrEqual(110);
  });
});
