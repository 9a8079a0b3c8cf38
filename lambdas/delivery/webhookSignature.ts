import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com/): HMAC-SHA256 over
 * `${webhook-id}.${webhook-timestamp}.${body}`, keyed with the base64-decoded part of a
 * `whsec_` secret, sent as space-separated `v1,<base64>` entries.
 */

const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;
const DEFAULT_TOLERANCE_SECONDS = 300;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A signing secret that is not `whsec_` + base64 (or is empty): a configuration or storage bug. */
export class InvalidSigningSecretError extends Error {
  override readonly name = 'InvalidSigningSecretError';
  constructor() {
    // The secret itself is never put in the message: messages end up in logs.
    super('signing secret must be "whsec_" followed by non-empty base64');
  }
}

/** A new per-user signing secret: `whsec_` + base64 of 32 random bytes. */
export function generateSigningSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

export interface SignWebhookInput {
  readonly id: string;
  /** Unix time in seconds, exactly as sent in `webhook-timestamp`. */
  readonly timestamp: number;
  /** The raw body, exactly as sent. */
  readonly body: string;
  /** Current secret first; during a rotation grace period also the previous one. */
  readonly secrets: readonly string[];
}

/** The `webhook-signature` header value: one `v1,<base64>` entry per secret, space-separated. */
export function signWebhook({ id, timestamp, body, secrets }: SignWebhookInput): string {
  if (secrets.length === 0) throw new RangeError('at least one signing secret is needed');
  assertTimestamp(timestamp);
  return secrets.map((secret) => `v1,${hmac(secretKey(secret), id, String(timestamp), body).toString('base64')}`).join(' ');
}

export interface VerifyWebhookInput {
  readonly id: string;
  /** The `webhook-timestamp` header (seconds), as received or as a number. */
  readonly timestamp: string | number;
  /** The raw body, byte-for-byte as received (not re-serialized JSON). */
  readonly body: string;
  /** The `webhook-signature` header. */
  readonly signatureHeader: string;
  readonly secret: string;
  /** How far the timestamp may be from `now`, either way (replay protection). @default 300 */
  readonly toleranceSeconds?: number;
  /** @default new Date() */
  readonly now?: Date;
}

/**
 * Whether a delivery is authentic and fresh: some `v1` entry of the header matches (compared in
 * constant time) and the timestamp is within `toleranceSeconds` of `now`. Malformed input is
 * `false`, never an exception; only an unusable `secret` throws.
 */
export function verifyWebhook({
  id, timestamp, body, signatureHeader, secret, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS, now = new Date(),
}: VerifyWebhookInput): boolean {
  const key = secretKey(secret);
  const timestampText = String(timestamp);
  if (!/^\d{1,15}$/.test(timestampText)) return false;
  const ageSeconds = Math.abs(now.getTime() / 1000 - Number(timestampText));
  if (!(ageSeconds <= toleranceSeconds)) return false;

  const expected = hmac(key, id, timestampText, body);
  let matched = false;
  for (const entry of signatureHeader.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
    const encoded = entry.slice(comma + 1);
    if (!BASE64.test(encoded)) continue;
    const candidate = Buffer.from(encoded, 'base64');
    // Length is public (always 32 for SHA-256); only equal-length buffers can be compared.
    if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
  }
  return matched;
}

function hmac(key: Buffer, id: string, timestamp: string, body: string): Buffer {
  return createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest();
}

function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (encoded === '' || !BASE64.test(encoded)) throw new InvalidSigningSecretError();
  return Buffer.from(encoded, 'base64');
}

function assertTimestamp(timestamp: number): void {
  // 1e11 seconds is the year 5138: a larger value is milliseconds passed by mistake.
  if (!Number.isSafeInteger(timestamp) || timestamp < 0 || timestamp >= 1e11) {
    throw new RangeError(`timestamp must be whole seconds since the epoch, got ${timestamp}`);
  }
}
