import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidSecretKeyError, isSealed, LocalSecretCipher, SecretDecryptionError, SEALED_PREFIX,
} from '../../../lambdas/delivery/secretBox';

const KEY = randomBytes(32).toString('base64');

function flipByte(sealed: string, index: number): string {
  const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64');
  raw[index] ^= 0x01;
  return `${SEALED_PREFIX}${raw.toString('base64')}`;
}

describe('LocalSecretCipher', () => {
  it('should round-trip a header value', async () => {
    // Prepare
    const cipher = new LocalSecretCipher(KEY);

    // Act
    const sealed = await cipher.encrypt('Bearer eyJhbGciOi.secret');

    // Assess
    expect(sealed).toMatch(/^enc:v1:[A-Za-z0-9+/]+={0,2}$/);
    expect(sealed).not.toContain('secret');
    expect(isSealed(sealed)).toBe(true);
    expect(await cipher.decrypt(sealed)).toBe('Bearer eyJhbGciOi.secret');
  });

  it('should round-trip any string, including empty and non-ASCII ones (property)', async () => {
    const cipher = new LocalSecretCipher(KEY);
    await fc.assert(fc.asyncProperty(fc.string({ unit: 'grapheme' }), async (plain) => {
      expect(await cipher.decrypt(await cipher.encrypt(plain))).toBe(plain);
    }));
  });

  it('should seal the same value differently every time (random IV)', async () => {
    const cipher = new LocalSecretCipher(KEY);

    const [a, b] = await Promise.all([cipher.encrypt('same'), cipher.encrypt('same')]);

    expect(a).not.toBe(b);
  });

  it.each([
    ['the IV', 0], ['the tag', 12], ['the ciphertext', 28], ['the last byte', -1],
  ])('should detect a flipped bit in %s', async (_part, index) => {
    // Prepare
    const cipher = new LocalSecretCipher(KEY);
    const sealed = await cipher.encrypt('Bearer token-value');
    const length = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64').length;

    // Act
    const tampered = flipByte(sealed, index < 0 ? length + index : index);

    // Assess
    await expect(cipher.decrypt(tampered)).rejects.toThrow(SecretDecryptionError);
  });

  it('should not open a value sealed under another key', async () => {
    const sealed = await new LocalSecretCipher(KEY).encrypt('Bearer x');

    await expect(new LocalSecretCipher(randomBytes(32).toString('base64')).decrypt(sealed)).rejects.toThrow(SecretDecryptionError);
  });

  it.each(['Bearer plain', 'enc:v1:', 'enc:v1:AAAA', 'enc:v1:not base64!', 'enc:v2:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'])(
    'should refuse to decrypt the malformed value %j', async (value) => {
      await expect(new LocalSecretCipher(KEY).decrypt(value)).rejects.toThrow(SecretDecryptionError);
    });

  it.each([
    ['16 bytes', randomBytes(16).toString('base64')], ['33 bytes', randomBytes(33).toString('base64')],
    ['an empty string', ''], ['non-base64 text', 'x'.repeat(44)],
  ])('should refuse a key of %s', (_case, key) => {
    expect(() => new LocalSecretCipher(key)).toThrow(InvalidSecretKeyError);
  });
});
