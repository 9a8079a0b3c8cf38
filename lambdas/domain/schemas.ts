import * as z from 'zod';

/** Largest payload, serialized: 1 MiB. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;
export const MAX_TIMEOUT_SECONDS = 60;

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Header values may not carry CR, LF or NUL: they would split the request (header injection).
const HEADER_VALUE = /^[^\r\n\0]*$/;
const RESERVED_HEADER = /^(webhook-|x-tock-|host$|content-length$|transfer-encoding$|connection$)/i;

export const httpTargetSchema = z
  .object({
    type: z.literal('http'),
    url: z.string().min(1).max(2048),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
    headers: z
      .record(
        z.string().regex(HEADER_NAME, 'is not a valid header name').refine((n) => !RESERVED_HEADER.test(n), 'is set by Tock and cannot be overridden'),
        z.string().max(4096).regex(HEADER_VALUE, 'must not contain CR, LF or NUL'),
      )
      .refine((h) => Object.keys(h).length <= 32, 'at most 32 headers')
      .default({}),
    timeoutSeconds: z.number().int().min(1).max(MAX_TIMEOUT_SECONDS).default(30),
  })
  .strict();

export const retryPolicySchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(20).default(3),
    backoffSeconds: z.number().int().min(1).max(3600).default(2),
    maxBackoffSeconds: z.number().int().min(1).max(86_400).optional(),
  })
  .strict()
  .refine((p) => p.maxBackoffSeconds === undefined || p.maxBackoffSeconds >= p.backoffSeconds, {
    message: 'must be at least backoffSeconds',
    path: ['maxBackoffSeconds'],
  });

const name = z.string().max(256);
const instant = z.iso.datetime({ offset: true });
const policyFields = {
  startAt: instant.nullable().optional(),
  endAt: instant.nullable().optional(),
  maxRuns: z.number().int().min(1).max(1_000_000).nullable().optional(),
  overlapPolicy: z.enum(['ALLOW', 'SKIP', 'BUFFER_ONE']).optional(),
  catchUpPolicy: z.enum(['LATEST', 'ALL', 'NONE']).optional(),
  catchUpWindowSeconds: z.number().int().min(1).max(7 * 86_400).optional(),
  jitterSeconds: z.number().int().min(0).max(3600).optional(),
};
const windowInOrder = {
  message: 'must be after startAt',
  path: ['endAt'],
};
function startsBeforeEnd(b: { startAt?: string | null; endAt?: string | null }): boolean {
  return !b.startAt || !b.endAt || Date.parse(b.endAt) > Date.parse(b.startAt);
}
const schedule = z.string().min(1).max(256);
const timezone = z.string().min(1).max(64);

export const createTaskSchema = z
  .object({
    name: name.nullable().optional(),
    schedule,
    timezone: timezone.optional(),
    target: httpTargetSchema,
    payload: z.unknown().optional(),
    retryPolicy: retryPolicySchema.optional(),
    ...policyFields,
  })
  .strict()
  .refine(startsBeforeEnd, windowInOrder);
export type CreateTaskBody = z.infer<typeof createTaskSchema>;

export const updateTaskSchema = z
  .object({
    name: name.nullable().optional(),
    schedule: schedule.optional(),
    timezone: timezone.optional(),
    target: httpTargetSchema.optional(),
    payload: z.unknown().optional(),
    retryPolicy: retryPolicySchema.optional(),
    ...policyFields,
  })
  .strict()
  .refine(startsBeforeEnd, windowInOrder)
  .refine((b) => Object.keys(b).length > 0, { message: 'give at least one field to change' });
export type UpdateTaskBody = z.infer<typeof updateTaskSchema>;

export const previewSchema = z
  .object({
    schedule,
    timezone: timezone.optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    count: z.number().int().min(1).max(100).default(10),
  })
  .strict();

const limit = z.coerce.number().int().min(1).max(100).default(20);

export const listTasksQuery = z
  .object({
    limit,
    nextToken: z.string().max(1024).optional(),
    status: z.enum(['ACTIVE', 'PAUSED', 'COMPLETED', 'FAILED']).optional(),
  })
  .strict();

export const listExecutionsQuery = z
  .object({ limit, nextToken: z.string().max(1024).optional(), include: z.enum(['skipped']).optional() })
  .strict();

export const tokenRequestSchema = z.object({ userId: z.string().min(1).max(128) }).strict();
