/** Key layout of the single table (docs/data-model.md). Nothing outside this adapter sees it. */
export const HEAD_SK = 'HEAD';
export const PAYLOAD_SK = 'PAYLOAD';

export function taskPk(userId: string, taskId: string): string {
  return `T#${userId}#${taskId}`;
}

export function userGsiPk(userId: string): string {
  return `U#${userId}`;
}

export function pad13(ms: number): string {
  return String(ms).padStart(13, '0');
}

export function executionSk(executionId: string, scheduledForMs: number): string {
  return `X#${pad13(scheduledForMs)}#${executionId}`;
}

export function minuteOf(ms: number): number {
  return Math.floor(ms / 60_000);
}

export function duePk(shard: number, minute: number): string {
  return `D#${shard}#${minute}`;
}

export function dueSk(dueAt: number, taskId: string, executionId: string, attempt: number): string {
  return `${pad13(dueAt)}#${taskId}#${executionId}#${attempt}`;
}

export function cursorKey(shard: number): { pk: string; sk: string } {
  return { pk: `S#${shard}`, sk: 'CURSOR' };
}

export function idempotencyKey(userId: string, key: string): { pk: string; sk: string } {
  return { pk: `I#${userId}#${key}`, sk: 'IDEM' };
}

export function userKey(userId: string, sk: string): { pk: string; sk: string } {
  return { pk: `U#${userId}`, sk };
}

/** Pagination tokens are opaque to users: base64url of the last evaluated key. */
export function encodeToken(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;
}

/**
 * A page token back to its key: exactly `keys`, each a string, or InvalidPageTokenError (a 400).
 * DynamoDB refuses a start key with a missing or extra attribute as a server-side validation
 * error, which must not reach the user as a 500.
 */
export function decodeToken<K extends string>(token: string | undefined, keys: readonly K[]): Record<K, string> | undefined {
  if (!token) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidPageTokenError();
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidPageTokenError();
  const fields = Object.entries(parsed);
  if (fields.length !== keys.length || !fields.every(([k, v]) => (keys as readonly string[]).includes(k) && typeof v === 'string')) {
    throw new InvalidPageTokenError();
  }
  return parsed as Record<K, string>;
}

export class InvalidPageTokenError extends Error {
  override readonly name = 'InvalidPageTokenError';
  constructor() {
    super('nextToken is not a token this API returned');
  }
}
