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

export function decodeToken(token: string | undefined): Record<string, unknown> | undefined {
  if (!token) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new InvalidPageTokenError();
}

export class InvalidPageTokenError extends Error {
  override readonly name = 'InvalidPageTokenError';
  constructor() {
    super('nextToken is not a token this API returned');
  }
}
