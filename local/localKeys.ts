import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Key material the local stack makes once and keeps, so tokens and secrets survive restarts. */
export interface LocalKeys {
  /** Signs local JWTs (RS256). */
  readonly jwtPrivateKey: KeyObject;
  readonly jwtPublicKey: KeyObject;
  /** `kid` of the key pair: a hash of the public key. */
  readonly jwtKeyId: string;
  /** TOCK_SECRETS_KEY: 32 random bytes, base64, for encrypting target header values. */
  readonly secretsKey: string;
}

const PRIVATE_KEY_FILE = 'jwt-private.pem';
const SECRETS_KEY_FILE = 'secrets.key';

/**
 * Loads the keys from `<dataDir>/keys`, creating what is missing (files are 0600). Without a
 * data dir the keys live in memory only.
 */
export function loadOrCreateLocalKeys(dataDir: string | undefined): LocalKeys {
  const dir = dataDir === undefined ? undefined : join(dataDir, 'keys');
  if (dir) mkdirSync(dir, { recursive: true, mode: 0o700 });

  const privatePem = readOrCreate(dir, PRIVATE_KEY_FILE, () =>
    generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  );
  const jwtPrivateKey = createPrivateKey(privatePem);
  const jwtPublicKey = createPublicKey(jwtPrivateKey);
  const der = jwtPublicKey.export({ type: 'spki', format: 'der' });
  const jwtKeyId = createHash('sha256').update(der).digest('base64url').slice(0, 16);
  const secretsKey = readOrCreate(dir, SECRETS_KEY_FILE, () => randomBytes(32).toString('base64')).trim();
  return { jwtPrivateKey, jwtPublicKey, jwtKeyId, secretsKey };
}

function readOrCreate(dir: string | undefined, file: string, create: () => string): string {
  if (dir === undefined) return create();
  const path = join(dir, file);
  if (existsSync(path)) return readFileSync(path, 'utf8');
  const content = create();
  // 'wx': if two processes race on a fresh dir, the loser fails instead of overwriting a key in use.
  writeFileSync(path, content, { mode: 0o600, flag: 'wx' });
  return content;
}
