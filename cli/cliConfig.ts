import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** What `tock login` keeps: where the API is and the token to call it with. */
export interface StoredLogin {
  readonly url: string;
  readonly token: string;
  /** Who the token is for, when known. */
  readonly user?: string;
}

export const DEFAULT_URL = 'http://127.0.0.1:3000';

/** `$TOCK_CONFIG_DIR`, else `~/.config/tock` (XDG_CONFIG_HOME respected). */
export function configDir(env: NodeJS.ProcessEnv): string {
  if (env.TOCK_CONFIG_DIR) return env.TOCK_CONFIG_DIR;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'tock');
}

export function configFile(env: NodeJS.ProcessEnv): string {
  return join(configDir(env), 'config.json');
}

export function readLogin(env: NodeJS.ProcessEnv): StoredLogin | undefined {
  let text: string;
  try {
    text = readFileSync(configFile(env), 'utf8');
  } catch {
    return undefined;
  }
  const parsed = JSON.parse(text) as Partial<StoredLogin>;
  if (typeof parsed.url !== 'string' || typeof parsed.token !== 'string') {
    throw new Error(`${configFile(env)} is damaged; run tock login again`);
  }
  return parsed as StoredLogin;
}

/** Writes the login readable by its owner only: the token is a credential. */
export function writeLogin(env: NodeJS.ProcessEnv, login: StoredLogin): string {
  const dir = configDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = configFile(env);
  writeFileSync(file, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

export function removeLogin(env: NodeJS.ProcessEnv): boolean {
  const file = configFile(env);
  try {
    readFileSync(file);
  } catch {
    return false;
  }
  rmSync(file, { force: true });
  return true;
}

/** The API's base URL: `--url`, then TOCK_URL, then the one saved at login, then the local default. */
export function resolveUrl(flag: string | undefined, env: NodeJS.ProcessEnv, login: StoredLogin | undefined): string {
  return (flag || env.TOCK_URL || login?.url || DEFAULT_URL).replace(/\/+$/, '');
}

/** TOCK_TOKEN wins over the saved login, so scripts and CI need no login step. */
export function resolveToken(env: NodeJS.ProcessEnv, login: StoredLogin | undefined): string | undefined {
  return env.TOCK_TOKEN || login?.token;
}
