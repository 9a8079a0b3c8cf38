import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { highestTatForSpending, leaseSize, secondsUntilToken, tokenIntervalUs, tokensAvailable } from '../../../lambdas/domain/tokenBucket';

const NOW = Date.parse('2026-03-01T12:00:00Z') * 1000;
const limits = { ratePerSecond: 10, burst: 20 };

describe('token bucket (GCRA)', () => {
  it('should hold a full burst when never used or idle', () => {
    expect(tokensAvailable(undefined, NOW, limits)).toBe(20);
    expect(tokensAvailable(NOW - 3_600_000_000, NOW, limits)).toBe(20);
  });

  it('should refill one token per interval after being emptied', () => {
    const empty = NOW + 20 * tokenIntervalUs(limits);
    expect(tokensAvailable(empty, NOW, limits)).toBe(0);
    expect(tokensAvailable(empty, NOW + 99_999, limits)).toBe(0);
    expect(tokensAvailable(empty, NOW + 100_000, limits)).toBe(1);
    expect(tokensAvailable(empty, NOW + 2_000_000, limits)).toBe(20);
  });

  it('should allow spending n tokens exactly while n are available', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 20 }), (debtTokens, n) => {
        const tat = NOW + debtTokens * tokenIntervalUs(limits) - tokenIntervalUs(limits);
        const allowed = tat <= highestTatForSpending(n, NOW, limits);
        expect(allowed).toBe(tokensAvailable(tat, NOW, limits) >= n);
      }),
    );
  });

  it('should say how long until the next token, in whole seconds, at least 1', () => {
    const slow = { ratePerSecond: 1, burst: 3 };
    const empty = NOW + 3 * 1_000_000;
    expect(secondsUntilToken(empty, NOW, slow)).toBe(1);
    expect(secondsUntilToken(empty + 4_500_000, NOW, slow)).toBe(6);
    expect(secondsUntilToken(undefined, NOW, slow)).toBe(1);
    expect(tokensAvailable(empty + 4_500_000, NOW + 5_500_000, slow)).toBe(1);
  });

  it('should lease a tenth of a second of tokens, at most a tenth of the burst, at least one', () => {
    expect(leaseSize({ ratePerSecond: 100, burst: 200 })).toBe(10);
    expect(leaseSize({ ratePerSecond: 1000, burst: 50 })).toBe(5);
    expect(leaseSize({ ratePerSecond: 1, burst: 3 })).toBe(1);
  });
});
