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

/**
 * Deepest nesting a body may have. JSON.parse copes with any depth, but JSON.stringify and other
 * recursive code overflow the stack somewhere in the thousands: a body nested that deep would be a
 * 5xx later instead of a 400 now.
 */
export const MAX_JSON_DEPTH = 256;

export function parseJsonBody(body: string | undefined, isBase64Encoded: boolean | undefined): unknown {
  if (body === undefined || body === '') throw new ValidationError([{ path: 'body', message: 'a JSON body is required' }]);
  const text = isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ValidationError([{ path: 'body', message: 'is not valid JSON' }]);
  }
  const tooDeep = fieldNestedTooDeep(value);
  if (tooDeep !== undefined) throw new ValidationError([{ path: tooDeep, message: `is nested deeper than ${MAX_JSON_DEPTH} levels` }]);
  return value;
}

/** The top-level field (or `body`) holding nesting deeper than MAX_JSON_DEPTH; walked without recursion. */
function fieldNestedTooDeep(value: unknown): string | undefined {
  const stack: Array<{ node: unknown; depth: number; field: string }> = [{ node: value, depth: 0, field: 'body' }];
  while (stack.length > 0) {
    const { node, depth, field } = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= MAX_JSON_DEPTH) return field;
    const topLevel = depth === 0 && !Array.isArray(node);
    for (const [key, child] of Object.entries(node)) stack.push({ node: child, depth: depth + 1, field: topLevel ? key : field });
  }
  return undefined;
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
