import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  Context,
  SQSBatchResponse,
  SQSEvent,
} from 'aws-lambda';

/** The api Lambda: payload format 2.0 in, a structured result (or anything API Gateway accepts) out. */
export type ApiHandler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<unknown>;
/** The scanner Lambda: one shard per invocation, returns after about TOCK_SCANNER_RUN_MS. */
export type ScannerHandler = (event: { shard: number }, context: Context) => Promise<unknown>;
/** The executor and DLQ Lambdas: SQS batches, partial batch failures reported. */
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void | undefined | null>;

export interface LambdaHandlers {
  readonly api: ApiHandler;
  readonly scanner: ScannerHandler;
  readonly executor: SqsHandler;
  readonly dlq: SqsHandler;
}

/**
 * Imports the deployable handlers. Each module reads its configuration when it is first imported,
 * so call this only after the environment is set (see handlerEnvironment.ts).
 */
export async function importLambdaHandlers(): Promise<LambdaHandlers> {
  const [api, scanner, executor, dlq] = await Promise.all([
    import('../lambdas/api/handler'),
    import('../lambdas/scanner/handler'),
    import('../lambdas/executor/handler'),
    import('../lambdas/dlq/handler'),
  ]);
  return { api: api.handler, scanner: scanner.handler, executor: executor.handler, dlq: dlq.handler };
}
