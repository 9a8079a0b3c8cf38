import type { Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './localAws';

/** Settings of one emulated Lambda function. */
export interface LocalFunction {
  readonly functionName: string;
  readonly timeoutMs: number;
  readonly memoryMb?: number;
}

export interface LocalFunctions {
  readonly api: LocalFunction;
  readonly scanner: LocalFunction;
  readonly executor: LocalFunction;
  readonly dlq: LocalFunction;
}

/**
 * The Lambda functions the stack runs, with the timeouts infra/tockStack.ts gives them on AWS:
 * the executor's is the longest attempt (TOCK_MAX_ATTEMPT_TIMEOUT_SECONDS, default 60) plus 30 s.
 */
export function localFunctions(env: NodeJS.ProcessEnv = process.env): LocalFunctions {
  const rawAttempt = Number(env.TOCK_MAX_ATTEMPT_TIMEOUT_SECONDS || 60);
  const maxAttemptSeconds = Number.isInteger(rawAttempt) && rawAttempt > 0 ? rawAttempt : 60;
  return {
    api: { functionName: 'tock-api', timeoutMs: 10_000 },
    scanner: { functionName: 'tock-scanner', timeoutMs: 70_000 },
    executor: { functionName: 'tock-executor', timeoutMs: (maxAttemptSeconds + 30) * 1000 },
    dlq: { functionName: 'tock-dlq', timeoutMs: 30_000 },
  };
}

/** The functions with their default timeouts. */
export const LOCAL_FUNCTIONS: LocalFunctions = localFunctions({});

/** SQS visibility timeout for a queue consumed by `fn`: six times its timeout, as AWS advises. */
export function visibilityTimeoutFor(fn: LocalFunction): number {
  return Math.ceil(fn.timeoutMs / 1000) * 6;
}

/**
 * A Lambda context for one invocation. Middy and Powertools read it (request id, remaining time),
 * so the handlers get one locally as they do on AWS. The timeout is not enforced in-process.
 */
export function createLambdaContext(fn: LocalFunction, startedAtMs = Date.now()): Context {
  const memory = String(fn.memoryMb ?? 1024);
  const fail = (): never => {
    throw new Error('callback-style completion is not supported; return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: fn.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${fn.functionName}`,
    memoryLimitInMB: memory,
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${fn.functionName}`,
    logStreamName: `local/[$LATEST]${randomUUID().replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, startedAtMs + fn.timeoutMs - Date.now()),
    done: fail,
    fail,
    succeed: fail,
  };
}
