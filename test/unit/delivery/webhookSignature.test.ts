import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  generateSigningSecret, InvalidSigningSecretError, signWebhook, verifyWebhook,
} from '../../../lambdas/delivery/webhookSignature';

// The Standard Webhooks reference vector (spec and official libraries).
const VECTOR = {
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const AT_VECTOR_TIME = new Date(VECTOR.timestamp * 1000);

function verifyVector(overrides: Partial<Parameters<typeof verifyWebhook>[0]> = {}): boolean {
  return verifyWebhook({
    id: VECTOR.id, timestamp: VECTOR.timestamp, body: VECTOR.body, signatureHeader: VECTOR.signature,
    secret: VECTOR.secret, now: AT_VECTOR_TIME, ...overrides,
  });
}

describe('signWebhook', () => {
  it('should produce the Standard Webhooks reference signature', () => {
    // Act
    const header = signWebhook({ id: VECTOR.id, timestamp: VECTOR.timestamp, body: VECTOR.body, secrets: [VECTOR.secret] });

    // Assess
    expect(header).toBe(VECTOR.signature);
  });

  it('should send one space-separated entry per secret during a rotation', () => {
    // Prepare
    const previous = generateSigningSecret();

    // Act
    const header = signWebhook({ id: VECTOR.id, timestamp: VECTOR.timestamp, body: VECTOR.body, secrets: [VECTOR.secret, previous] });

    // Assess
    const entries = header.split(' ');
    expect(entries).toHaveLength(2);
    expect(entries[0]).toBe(VECTOR.signature);
    expect(verifyVector({ signatureHeader: header, secret: previous })).toBe(true);
    expect(verifyVector({ signatureHeader: header })).toBe(true);
  });

  it('should refuse to sign without a secret, with a malformed secret or with a millisecond timestamp', () => {
    const input = { id: 'msg_1', timestamp: 1614265330, body: '{}' };

    expect(() => signWebhook({ ...input, secrets: [] })).toThrow(RangeError);
    expect(() => signWebhook({ ...input, secrets: ['whsec_'] })).toThrow(InvalidSigningSecretError);
    expect(() => signWebhook({ ...input, secrets: ['whsec_not base64!'] })).toThrow(InvalidSigningSecretError);
    expect(() => signWebhook({ ...input, timestamp: 1614265330123, secrets: [VECTOR.secret] })).toThrow(RangeError);
    expect(() => signWebhook({ ...input, timestamp: 1.5, secrets: [VECTOR.secret] })).toThrow(RangeError);
  });

  it('should never put the secret into an error message', () => {
    const secret = 'whsec_c2VjcmV0!!';

    expect(() => signWebhook({ id: 'a', timestamp: 1, body: '', secrets: [secret] })).toThrow(/^(?!.*c2VjcmV0).*$/);
  });
});

describe('generateSigningSecret', () => {
  it('should return whsec_ and 32 random bytes in base64', () => {
    // Act
    const first = generateSigningSecret();
    const second = generateSigningSecret();

    // Assess
    expect(first).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(first.slice(6), 'base64')).toHaveLength(32);
    expect(first).not.toBe(second);
  });
});

describe('verifyWebhook', () => {
  it('should accept the reference vector at its own time', () => {
    expect(verifyVector()).toBe(true);
    expect(verifyVector({ timestamp: String(VECTOR.timestamp) })).toBe(true);
  });

  it.each([
    ['a tampered body', { body: '{"test": 2432232315}' }],
    ['a body with different whitespace', { body: '{"test":2432232314}' }],
    ['a tampered id', { id: 'msg_p5jXN8AQM9LWM0D4loKWxJeK' }],
    ['a tampered timestamp', { timestamp: VECTOR.timestamp + 1, now: new Date((VECTOR.timestamp + 1) * 1000) }],
    ['another secret', { secret: generateSigningSecret() }],
    ['a tampered signature', { signatureHeader: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=' }],
    ['a truncated signature', { signatureHeader: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ' }],
    ['a signature under another version tag', { signatureHeader: 'v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' }],
    ['a signature without a version tag', { signatureHeader: 'g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' }],
    ['an empty header', { signatureHeader: '' }],
    ['a non-numeric timestamp', { timestamp: '1614265330abc' }],
    ['a negative timestamp', { timestamp: '-1614265330' }],
  ])('should reject %s', (_case, overrides) => {
    expect(verifyVector(overrides)).toBe(false);
  });

  it('should reject a timestamp older or newer than the tolerance, and accept one at its edge', () => {
    const at = (offsetSeconds: number): Date => new Date((VECTOR.timestamp + offsetSeconds) * 1000);

    expect(verifyVector({ now: at(300) })).toBe(true);
    expect(verifyVector({ now: at(-300) })).toBe(true);
    expect(verifyVector({ now: at(301) })).toBe(false);
    expect(verifyVector({ now: at(-301) })).toBe(false);
    expect(verifyVector({ now: at(3600), toleranceSeconds: 3600 })).toBe(true);
    expect(verifyVector({ now: new Date() })).toBe(false);
  });

  it('should accept a header where any one of several entries matches', () => {
    const header = `v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v1a,xyz ${VECTOR.signature}`;

    expect(verifyVector({ signatureHeader: header })).toBe(true);
  });

  it('should throw for a malformed secret rather than report a bad signature', () => {
    expect(() => verifyVector({ secret: 'whsec_%%%' })).toThrow(InvalidSigningSecretError);
  });

  it('should verify what it signed and nothing else (property)', () => {
    const secret = generateSigningSecret();
    fc.assert(fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 0, max: 2 ** 32 }), fc.string({ unit: 'grapheme' }), fc.string({ minLength: 1 }),
      (id, timestamp, body, extra) => {
        const signatureHeader = signWebhook({ id, timestamp, body, secrets: [secret] });
        const now = new Date(timestamp * 1000);
        expect(verifyWebhook({ id, timestamp, body, signatureHeader, secret, now })).toBe(true);
        expect(verifyWebhook({ id, timestamp, body: body + extra, signatureHeader, secret, now })).toBe(false);
      }));
  });
});
