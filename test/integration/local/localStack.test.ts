import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, SQSEvent } from 'aws-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LambdaHandlers } from '../../../local/lambdaHandlers';
import { localClientConfig } from '../../../local/localAws';
import { startLocalStack } from '../../../local/localStack';
import type { LocalStack } from '../../../local/localStack';
import { call, token } from '../../support/api';
import { localServices, uniquePrefix } from '../../support/localServices';

/** The whole runtime in-process, on the shared services, with fake handlers standing in for the Lambdas. */
let stack: LocalStack;
const apiEvents: APIGatewayProxyEventV2WithJWTAuthorizer[] = [];
const tableNameSeenByApi: (string | undefined)[] = [];
const scannedShards: number[] = [];
const executorEvents: SQSEvent[] = [];

const handlers: LambdaHandlers = {
  api: async (event) => {
    apiEvents.push(event);
    tableNameSeenByApi.push(process.env.TOCK_TABLE_NAME);
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: event.requestContext.authorizer.jwt.claims.sub }) };
  },
  scanner: async ({ shard }) => {
    scannedShards.push(shard);
    await sleep(200);
  },
  executor: async (event) => {
    executorEvents.push(event);
    return { batchItemFailures: [] };
  },
  dlq: async () => undefined,
};

beforeAll(async () => {
  stack = await startLocalStack({ endpoints: localServices(), prefix: uniquePrefix('stack'), port: 0, handlers, shardCount: 2, log: () => undefined });
});

afterAll(async () => {
  await stack?.stop();
});

describe('startLocalStack (in-process)', () => {
  it('should answer /health with 200 naming every component', async () => {
    const response = await call('GET', `${stack.baseUrl}/health`);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      status: 'ok',
      components: { dynamodb: 'ok', sqs: 'ok', s3: 'ok', executorPollers: 'ok', dlqPoller: 'ok', scanners: 'ok' },
    });
  });

  it('should route /v1 requests through the authorizer to the api handler, with the environment set', async () => {
    const alice = await token(stack.baseUrl, 'alice');
    const response = await call('GET', `${stack.baseUrl}/v1/tasks`, undefined, { token: alice });
    expect(response.json).toEqual({ user: 'alice' });
    expect(tableNameSeenByApi.at(-1)).toBe(stack.resources.tableName);
    expect(process.env).toMatchObject({
      TOCK_QUEUE_URL: stack.resources.queueUrl,
      TOCK_DLQ_URL: stack.resources.dlqUrl,
      TOCK_PAYLOAD_BUCKET: stack.resources.bucket,
      TOCK_SHARD_COUNT: '2',
      AWS_ENDPOINT_URL_DYNAMODB: stack.endpoints.dynamodb,
      AWS_ENDPOINT_URL_SQS: stack.endpoints.sqs,
      AWS_ENDPOINT_URL_S3: stack.endpoints.s3,
    });
  });

  it('should run one scanner loop per shard', async () => {
    await sleep(500);
    expect(new Set(scannedShards)).toEqual(new Set([0, 1]));
  });

  it('should feed work-queue messages to the executor', async () => {
    // Act
    await new SQSClient(localClientConfig(stack.endpoints.sqs)).send(
      new SendMessageCommand({ QueueUrl: stack.resources.queueUrl, MessageBody: '{"executionId":"exe_1"}', MessageGroupId: 'exe_1', MessageDeduplicationId: 'exe_1:1' }),
    );
    const deadline = Date.now() + 10_000;
    while (executorEvents.length === 0 && Date.now() < deadline) await sleep(50);

    // Assess
    expect(executorEvents[0]?.Records[0]).toMatchObject({ body: '{"executionId":"exe_1"}', eventSourceARN: stack.resources.queueArn });
  });

  it('should stop the API server and the loops on stop()', async () => {
    // Act
    await stack.stop();
    const shardsAtStop = scannedShards.length;
    await sleep(500);

    // Assess
    await expect(fetch(`${stack.baseUrl}/health`)).rejects.toThrow();
    expect(scannedShards.length).toBe(shardsAtStop);
  });
});
