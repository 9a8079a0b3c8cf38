import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_RETRY_AFTER_MS, retryDelayMs } from '../../../lambdas/domain/retryPolicy';

describe('retryDelayMs', () => {
  it('should stay within [1 s, min(max, base * 2^(n-1))] with full jitter', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 600 }), fc.integer({ min: 2, max: 20 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (base, max, attempt, r) => {
        const policy = { maxAttempts: 20, backoffSeconds: base, maxBackoffSeconds: Math.max(base, max) };
        const delay = retryDelayMs(policy, attempt, () => r);
        const ceiling = Math.min(policy.maxBackoffSeconds * 1000, base * 1000 * 2 ** (attempt - 2));
        expect(delay).toBeGreaterThanOrEqual(1000);
        expect(delay).toBeLessThanOrEqual(Math.max(1000, ceiling));
      }),
    );
  });

  it('should cap Retry-After at one hour', () => {
    const policy = { maxAttempts: 3, backoffSeconds: 2, maxBackoffSeconds: 300 };
    expect(retryDelayMs(policy, 2, () => 0.5, 10 * MAX_RETRY_AFTER_MS)).toBe(MAX_RETRY_AFTER_MS);
  });
});
