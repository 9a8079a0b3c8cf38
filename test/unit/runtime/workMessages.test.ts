import { describe, expect, it } from 'vitest';
import { parseWorkMessage } from '../../../lambdas/runtime/workMessages';

const message = {
  u: 'alice',
  t: 'tsk_01JDZX7Q8W9E0R1T2Y3U4I5O6P',
  e: 'exe_01JDZX7Q8W9E0R1T2Y3U4I5O6P_1795818685000',
  s: '2026-11-27T22:31:25.000Z',
  a: 1,
  d: 1795818685000,
  k: 'occurrence',
};

describe('parseWorkMessage', () => {
  it('should accept a message the scanner writes and return exactly its fields', () => {
    // Prepare
    const body = { ...message, extra: 'ignored' };

    // Act
    const parsed = parseWorkMessage(body);

    // Assess
    expect(parsed).toEqual(message);
  });

  it('should accept every kind of work', () => {
    for (const k of ['occurrence', 'retry', 'trigger', 'catchup', 'buffered', 'watch']) {
      expect(parseWorkMessage({ ...message, k })?.k).toBe(k);
    }
  });

  it('should accept a scheduled time without fraction, and with any number of fraction digits', () => {
    expect(parseWorkMessage({ ...message, s: '2026-11-27T22:31:25Z' })).toBeDefined();
    expect(parseWorkMessage({ ...message, s: '2026-11-27T22:31:25.123456Z' })).toBeDefined();
  });

  it.each([
    ['a body that is not an object', 'text'],
    ['null', null],
    ['an array', [message]],
    ['an empty user', { ...message, u: '' }],
    ['a missing task', { ...message, t: undefined }],
    ['an execution id that is not a string', { ...message, e: 42 }],
    ['a scheduled time with an offset', { ...message, s: '2026-11-27T22:31:25+01:00' }],
    ['a scheduled time without seconds', { ...message, s: '2026-11-27T22:31Z' }],
    ['a day that does not exist', { ...message, s: '2026-02-30T00:00:00Z' }],
    ['a date without time', { ...message, s: '2026-11-27' }],
    ['attempt 0', { ...message, a: 0 }],
    ['a fractional attempt', { ...message, a: 1.5 }],
    ['an attempt as text', { ...message, a: '1' }],
    ['a fractional due time', { ...message, d: 1.5 }],
    ['an unsafe integer due time', { ...message, d: 2 ** 60 }],
    ['an unknown kind', { ...message, k: 'later' }],
    ['an inherited kind name', { ...message, k: 'toString' }],
  ])('should refuse %s', (_what, body) => {
    expect(parseWorkMessage(body)).toBeUndefined();
  });
});
