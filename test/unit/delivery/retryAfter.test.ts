import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from '../../../lambdas/delivery/retryAfter';

const NOW = Date.UTC(2026, 11, 1, 9, 0, 0);

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120_000], ['0', 0], [' 5 ', 5_000], ['3600', 3_600_000], ['3601', MAX_RETRY_AFTER_MS],
    ['99999999999999999999999', MAX_RETRY_AFTER_MS],
  ])('should read delay-seconds %j as %i ms, capped at an hour', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it.each([
    ['Tue, 01 Dec 2026 09:00:30 GMT', 30_000, 'IMF-fixdate'],
    ['Tuesday, 01-Dec-26 09:01:00 GMT', 60_000, 'RFC 850'],
    ['Tue Dec  1 09:00:10 2026', 10_000, 'asctime'],
    ['Tue, 01 Dec 2026 08:00:00 GMT', 0, 'a date in the past'],
    ['Wed, 02 Dec 2026 09:00:00 GMT', MAX_RETRY_AFTER_MS, 'a date more than an hour ahead'],
  ])('should read the HTTP-date %j as %i ms (%s)', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it.each([undefined, '', 'soon', '-5', '1.5', '1e3', '2026-12-01T09:00:30Z', 'Tue, 31 Feb 2026 09:00:30 GMT',
    'Tue, 01 Dec 2026 25:00:30 GMT', 'Tue, 01 Dec 2026 09:00:30 PST'])('should ignore the unreadable value %j', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });
});
