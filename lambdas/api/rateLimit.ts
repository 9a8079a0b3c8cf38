import type { MiddlewareObj } from '@middy/core';
import type { RequestRateLimiter } from '../app/requestRateLimiter';

/**
 * Middy middleware: one token of the caller's bucket per request, before any routing or parsing,
 * so an over-limit request costs no more than the token check. A request without a caller is let
 * through: the handler answers it 401. Over the limit, RateLimitedError reaches the error
 * middleware, which answers 429 problem JSON with `Retry-After`.
 */
export function rateLimit<TEvent>(limiter: RequestRateLimiter | null, callerOf: (event: TEvent) => string | undefined): MiddlewareObj<TEvent> {
  return {
    name: 'rateLimit',
    before: async (request) => {
      if (!limiter) return;
      const userId = callerOf(request.event);
      if (userId) await limiter.take(userId);
    },
  };
}
