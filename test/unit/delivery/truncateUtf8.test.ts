import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { truncateUtf8 } from '../../../lambdas/delivery/truncateUtf8';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('truncateUtf8', () => {
  it('should keep a body that fits, and cut a longer ASCII body at exactly the limit', () => {
    expect(truncateUtf8(bytes('a'.repeat(4096)), 4096)).toBe('a'.repeat(4096));
    expect(truncateUtf8(bytes('a'.repeat(4097)), 4096)).toBe('a'.repeat(4096));
  });

  it.each([
    ['a 2-byte character', '\u00e9', 4095], ['a 3-byte character', '\u20ac', 4094], ['a 4-byte character', '\u{1F600}', 4093],
  ])('should cut before %s that straddles the limit', (_case, character, prefixLength) => {
    // Prepare
    const text = 'a'.repeat(prefixLength) + character + 'tail';

    // Act
    const result = truncateUtf8(bytes(text), 4096);

    // Assess
    expect(result).toBe('a'.repeat(prefixLength));
  });

  it('should keep a multi-byte character that ends exactly at the limit', () => {
    const text = 'a'.repeat(4093) + '\u20ac' + 'tail';

    expect(truncateUtf8(bytes(text), 4096)).toBe('a'.repeat(4093) + '\u20ac');
  });

  it('should return a prefix of valid text that never exceeds the limit (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.integer({ min: 0, max: 400 }), (text, max) => {
      const result = truncateUtf8(bytes(text), max);
      expect(Buffer.byteLength(result)).toBeLessThanOrEqual(max);
      expect(text.startsWith(result)).toBe(true);
      expect(Buffer.byteLength(result)).toBeGreaterThan(Math.min(Buffer.byteLength(text), max) - 4);
    }));
  });

  it('should stay within the limit even for invalid UTF-8, whose replacement characters are wider', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 0, max: 500 }), (raw, max) => {
      expect(Buffer.byteLength(truncateUtf8(raw, max))).toBeLessThanOrEqual(max);
    }));
  });
});
