import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoTaskStore } from '../../lambdas/adapters/dynamo/dynamoTaskStore';
import { DynamoExecutionStore } from '../../lambdas/adapters/dynamo/dynamoExecutionStore';
import { DynamoDueIndex } from '../../lambdas/adapters/dynamo/dynamoDueIndex';
import { S3PayloadStore } from '../../lambdas/adapters/s3/s3PayloadStore';
import { SqsWorkQueue } from '../../lambdas/adapters/sqs/sqsWorkQueue';
import { TaskCommands } from '../../lambdas/app/taskCommands';
import { WorkExecutor } from '../../lambdas/app/workExecutor';
import type { DeliveryAttempt, WorkExecutorDeps } from '../../lambdas/app/workExecutor';
import type { Clock, DueIndex, ExecutionStore, PayloadStore, TaskStore, WorkQueue } from '../../lambdas/app/ports';
import type { AttemptResult } from '../../lambdas/domain/executionTransitions';
import { deliver } from '../../lambdas/delivery/httpDelivery';
import { buildDeliveryHeaders } from '../../lambdas/delivery/webhookHeaders';
import { checkTargetUrl } from '../../lambdas/delivery/targetAddressPolicy';
import type { LocalResources } from '../../local/createResources';
import { localClientConfig } from '../../local/localAws';
import type { LocalEndpoints } from '../../local/localAws';

/** The AWS clients the in-process app talks through (one set per fault profile). */
export interface AppClients {
  readonly dynamodb: DynamoDBClient;
  readonly document: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  readonly s3: S3Client;
  destroy(): void;
}

/** Real SDK clients on the local endpoints, exactly as the handlers build them (default retries). */
export function appClients(endpoints: LocalEndpoints): AppClients {
  const dynamodb = new DynamoDBClient(localClientConfig(endpoints.dynamodb));
  const document = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
  const sqs = new SQSClient({ ...localClientConfig(endpoints.sqs), useQueueUrlAsEndpoint: false });
  const s3 = new S3Client({ ...localClientConfig(endpoints.s3), forcePathStyle: true });
  return {
    dynamodb,
    document,
    sqs,
    s3,
    destroy() {
      dynamodb.destroy();
      sqs.destroy();
      s3.destroy();
    },
  };
}

/** The app's ports, built from the real adapters. */
export interface AppPorts {
  readonly tasks: TaskStore;
  readonly executions: ExecutionStore;
  readonly dueIndex: DueIndex;
  readonly queue: WorkQueue;
  readonly payloads: PayloadStore;
}

export function appPorts(clients: AppClients, resources: LocalResources): AppPorts {
  return {
    tasks: new DynamoTaskStore(clients.document, resources.tableName, undefined, 30),
    executions: new DynamoExecutionStore(clients.document, resources.tableName, 30),
    dueIndex: new DynamoDueIndex(clients.document, resources.tableName),
    queue: new SqsWorkQueue(clients.sqs, resources.queueUrl),
    payloads: new S3PayloadStore(clients.s3, resources.bucket),
  };
}

/** A clock `offsetMs` away from this machine's (a scanner on another host). */
export function offsetClock(offsetMs: number): Clock {
  return { now: () => new Date(Date.now() + offsetMs) };
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The API's write side, with loopback targets allowed (local mode) and headers stored as given. */
export function taskCommandsOf(ports: AppPorts, shardCount: number, clock: Clock = offsetClock(0)): TaskCommands {
  return new TaskCommands({
    ...ports,
    clock,
    shardCount,
    checkTargetUrl: (url) => {
      const verdict = checkTargetUrl(url, { allowLoopback: true, allowedCidrs: [] });
      return verdict.ok ? null : verdict.reason;
    },
    sealHeaders: (headers) => Promise.resolve({ ...headers }),
  });
}

/** A real HTTP delivery (signed headers, SSRF guard in local mode) with a fixed signing secret. */
export function httpDeliverer(secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'): WorkExecutorDeps['deliver'] {
  return (attempt: DeliveryAttempt, startedAt: Date): Promise<AttemptResult> => {
    const body = attempt.body ?? '';
    const headers = buildDeliveryHeaders({
      executionId: attempt.identity.executionId,
      taskId: attempt.identity.taskId,
      attempt: attempt.attempt,
      scheduledFor: new Date(attempt.identity.scheduledFor),
      now: startedAt,
      body,
      secrets: [secret],
      taskHeaders: attempt.headers,
    });
    return deliver({ url: attempt.url, method: attempt.method, headers, body, timeoutMs: attempt.timeoutMs }, { allowLoopback: true, allowedCidrs: [] });
  };
}

export interface ExecutorOptions {
  readonly clock?: Clock;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly deliver?: WorkExecutorDeps['deliver'];
  readonly maxAttemptTimeoutMs?: number;
  readonly shardCount: number;
  readonly random?: () => number;
}

export function executorOf(ports: AppPorts, options: ExecutorOptions): WorkExecutor {
  return new WorkExecutor({
    ...ports,
    clock: options.clock ?? offsetClock(0),
    sleep: options.sleep ?? realSleep,
    random: options.random ?? Math.random,
    shardCount: options.shardCount,
    maxAttemptTimeoutMs: options.maxAttemptTimeoutMs ?? 2_000,
    deliver: options.deliver ?? httpDeliverer(),
  });
}
