import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { FieldProblem } from '../domain/errors';
import {
  ExecutionNotFoundError,
  IdempotencyConflictError,
  PayloadTooLargeError,
  QuotaExceededError,
  RateLimitedError,
  ScheduleTooFrequentError,
  TaskNotFoundError,
  TaskStateConflictError,
  ValidationError,
  VersionConflictError,
} from '../domain/errors';
import { InvalidPageTokenError } from '../adapters/dynamo/keys';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/** An RFC 9457 problem response. */
export function problem(
  status: number,
  detail: string,
  options: { errors?: readonly FieldProblem[]; headers?: Record<string, string>; extra?: Record<string, unknown> } = {},
): APIGatewayProxyStructuredResultV2 {
  const body = {
    type: status >= 500 ? 'about:blank' : `https://tock.dev/problems/${status}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    ...(options.errors && options.errors.length > 0 ? { errors: options.errors } : {}),
    ...options.extra,
  };
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json', ...options.headers },
    body: JSON.stringify(body),
  };
}

/**
 * The one place where errors become HTTP. Only 4xx details reach the caller; a 5xx says nothing
 * about its cause (no stack, no SDK message).
 */
export function problemFor(error: unknown): APIGatewayProxyStructuredResultV2 {
  if (error instanceof ValidationError) return problem(400, error.message, { errors: error.problems });
  if (error instanceof ScheduleTooFrequentError) {
    return problem(400, `schedule: ${error.message}`, { errors: error.problems, extra: { quota: error.quota, limit: error.limit } });
  }
  if (error instanceof InvalidPageTokenError) return problem(400, error.message, { errors: [{ path: 'nextToken', message: error.message }] });
  if (error instanceof TaskNotFoundError || error instanceof ExecutionNotFoundError) return problem(404, error.message);
  if (error instanceof VersionConflictError) return problem(412, error.message);
  if (error instanceof IdempotencyConflictError || error instanceof TaskStateConflictError) return problem(409, error.message);
  if (error instanceof PayloadTooLargeError) {
    return problem(413, error.message, { errors: [{ path: 'payload', message: error.message }], extra: { limitBytes: error.limit } });
  }
  if (error instanceof QuotaExceededError) {
    return problem(429, error.message, { extra: { quota: error.quota, limit: error.limit } });
  }
  if (error instanceof RateLimitedError) {
    return problem(429, error.message, { headers: { 'retry-after': String(error.retryAfterSeconds) } });
  }
  return problem(500, 'The request could not be completed. It is safe to retry.');
}
