import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSServiceException } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { FinalizeHandler, FinalizeHandlerArguments, MetadataBearer } from '@aws-sdk/types';
import type { FaultInjector } from './faultInjector';

/**
 * Faults enter below the SDK's retry middleware, so they meet the real retry strategy (3 attempts,
 * throttling back-off) exactly as DynamoDB's and SQS's own errors would; only what the retries do
 * not absorb reaches Tock's code. The request is never sent, as with real throttling.
 */
const BELOW_RETRIES = { relation: 'after', toMiddleware: 'retryMiddleware' } as const;

/** DynamoDB answers ProvisionedThroughputExceededException (HTTP 400, a throttling error). */
export function injectDynamoThrottling(client: DynamoDBClient, faults: FaultInjector): void {
  client.middlewareStack.addRelativeTo(
    (next: FinalizeHandler<object, MetadataBearer>) => async (args: FinalizeHandlerArguments<object>) => {
      if (faults.failsNow('dynamodb')) {
        faults.count('dynamodb-throttle');
        throw new ProvisionedThroughputExceededException({
          message: 'The level of configured provisioned throughput for the table was exceeded (injected)',
          $metadata: { httpStatusCode: 400 },
        });
      }
      return next(args);
    },
    { ...BELOW_RETRIES, name: 'chaosDynamoThrottling' },
  );
}

/** SQS answers HTTP 500 or 503 (server errors, retried by the SDK). */
export function injectSqsServerErrors(client: SQSClient, faults: FaultInjector): void {
  client.middlewareStack.addRelativeTo(
    (next: FinalizeHandler<object, MetadataBearer>) => async (args: FinalizeHandlerArguments<object>) => {
      if (faults.failsNow('sqs')) {
        faults.count('sqs-5xx');
        const unavailable = faults.random() < 0.5;
        throw new SQSServiceException({
          name: unavailable ? 'ServiceUnavailable' : 'InternalError',
          $fault: 'server',
          $metadata: { httpStatusCode: unavailable ? 503 : 500 },
          message: unavailable ? 'Service Unavailable (injected)' : 'Internal Error (injected)',
        });
      }
      return next(args);
    },
    { ...BELOW_RETRIES, name: 'chaosSqsServerErrors' },
  );
}
