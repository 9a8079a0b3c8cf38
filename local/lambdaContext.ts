import type { Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './localAws';

/** Settings of one emulated Lambda function. */
export interface LocalFunction {
  readonly functionName: string;
  readonly timeoutMs: number;
  readonly memoryMb?: number;
}

/** The Lambda functions the stack runs, with the timeouts they have on AWS. */
export const LOCAL_FUNCTIONS = {
  api: { functionName: 'tock-api', timeoutMs: 29_000 },
  scanner: { functionName: 'tock-scanner', timeoutMs: 70_000 },
  executor: { functionName: 'tock-executor', timeoutMs: 90_000 },
  dlq: { functionName: 'tock-dlq', timeoutMs: 60_000 },
} as const satisfies Record<string, LocalFunction>;

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
