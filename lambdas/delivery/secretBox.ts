import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export { redactHeaders, DEFAULT_SENSITIVE_HEADERS } from './redactHeaders';

/**
 * Encrypts small secrets at rest (target header values such as `Authorization`).
 * Implementations: LocalSecretCipher (a 32-byte key from the environment, local mode) and a KMS
 * one on AWS. Values are sealed before they are stored and opened only in the executor, just
 * before a delivery; the API never returns them in clear.
 */
export interface SecretCipher {
  encrypt(plain: string): Promise<string>;
  decrypt(sealed: string): Promise<string>;
}

/** Prefix of a value sealed by LocalSecretCipher: `enc:v1:<base64(iv | tag | ciphertext)>`. */
export const SEALED_PREFIX = 'enc:v1:';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The key is not 32 bytes of base64: a configuration error, raised at cold start. */
export class InvalidSecretKeyError extends Error {
  override readonly name = 'InvalidSecretKeyError';
  constructor(length: number) {
    super(`secret key must be ${KEY_BYTES} bytes, base64-encoded (got ${length} bytes)`);
  }
}

/** A sealed value that is malformed, was tampered with, or was sealed with another key. */
export class SecretDecryptionError extends Error {
  override readonly name = 'SecretDecryptionError';
}

/** Whether `value` looks like the output of `encrypt` (so callers can tell sealed from plain). */
export function isSealed(value: string): boolean {
  return value.startsWith(SEALED_PREFIX);
}

/**
 * AES-256-GCM with a random 96-bit IV per value: authenticated, so a flipped bit or a value
 * sealed under another key fails to decrypt instead of yielding garbage.
 */
export class LocalSecretCipher implements SecretCipher {
  readonly #key: Buffer;

  constructor(keyBase64: string) {
    const key = BASE64.test(keyBase64) ? Buffer.from(keyBase64, 'base64') : Buffer.alloc(0);
    if (key.length !== KEY_BYTES) throw new InvalidSecretKeyError(key.length);
    this.#key = key;
  }

  async encrypt(plain: string): Promise<string> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${SEALED_PREFIX}${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64')}`;
  }

  async decrypt(sealed: string): Promise<string> {
    if (!isSealed(sealed)) throw new SecretDecryptionError(`sealed value must start with "${SEALED_PREFIX}"`);
    const encoded = sealed.slice(SEALED_PREFIX.length);
    if (!BASE64.test(encoded)) throw new SecretDecryptionError('sealed value is not valid base64');
    const raw = Buffer.from(encoded, 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretDecryptionError('sealed value is too short');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new SecretDecryptionError('sealed value failed authentication (tampered, or sealed with another key)', { cause });
    }
  }
}
