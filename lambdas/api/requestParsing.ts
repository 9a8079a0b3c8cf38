import type { z } from 'zod';
import { ValidationError } from '../domain/errors';
import type { FieldProblem } from '../domain/errors';

/** zod issues as field problems: the path names the field, the message the reason. */
export function problemsOf(error: z.ZodError, prefix = ''): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: base ? `${base}.${key}` : key, message: 'is not a known field' }));
    }
    return [{ path: base || 'body', message: issue.message }];
  });
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(problemsOf(result.error, prefix));
  return result.data;
}

export function parseJsonBody(body: string | undefined, isBase64Encoded: boolean | undefined): unknown {
  if (body === undefined || body === '') throw new ValidationError([{ path: 'body', message: 'a JSON body is required' }]);
  const text = isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError([{ path: 'body', message: 'is not valid JSON' }]);
  }
}

/** `If-Match: 3`, `"3"` or `W/"3"`. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match) throw new ValidationError([{ path: 'If-Match', message: 'must be the task version, an integer' }]);
  return Number(match[1]);
}

export function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(header)) {
    throw new ValidationError([{ path: 'Idempotency-Key', message: 'must be 1-255 visible ASCII characters' }]);
  }
  return header;
}
