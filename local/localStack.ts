import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startApiServer } from './apiServer';
import type { ApiServer, ComponentHealth, HealthReport } from './apiServer';
import { createResources } from './createResources';
import type { LocalResources } from './createResources';
import { EventSourceMapping } from './eventSourceMapping';
import { applyHandlerEnvironment, handlerEnvironment } from './handlerEnvironment';
import { localFunctions } from './lambdaContext';
import { importLambdaHandlers } from './lambdaHandlers';
import type { LambdaHandlers } from './lambdaHandlers';
import { localClientConfig, silenceSdkNodeVersionWarning } from './localAws';
import type { LocalEndpoints } from './localAws';
import { loadOrCreateLocalKeys } from './localKeys';
import { ScannerLoop } from './scannerLoop';
import { REPO_ROOT } from './services/childProcess';
import { startDynamoDbLocal } from './services/dynamoDbLocal';
import type { DynamoDbLocalService } from './services/dynamoDbLocal';
import { startFauxqs } from './services/fauxqs';
import type { FauxqsService } from './services/fauxqs';
import { ProcessRegistry } from './services/processRegistry';

export interface LocalStackOptions {
  /** Where state is kept (TOCK_DATA_DIR). Undefined keeps everything in memory (tests). */
  readonly dataDir?: string;
  /** API port; 0 picks a free one. @default 3000 */
  readonly port?: number;
  /** Resource name prefix. @default 'tock' */
  readonly prefix?: string;
  /** Use these handlers instead of importing lambdas/*\/handler.ts (tests inject fakes). */
  readonly handlers?: Partial<LambdaHandlers>;
  /** Reuse DynamoDB Local and fauxqs that are already running instead of starting them. */
  readonly endpoints?: LocalEndpoints;
  /** @default TOCK_SHARD_COUNT or 4 */
  readonly shardCount?: number;
  /** Concurrent work-queue pollers. @default TOCK_LOCAL_EXECUTOR_POLLERS or 4 */
  readonly executorPollers?: number;
  /** @default TOCK_LOCAL_VISIBILITY_TIMEOUT or 540 */
  readonly visibilityTimeoutSeconds?: number;
  /** A built web console to serve. @default `<repo>/console/dist` */
  readonly staticDir?: string;
  readonly log?: (message: string, error?: unknown) => void;
}

/** A running local Tock. */
export interface LocalStack {
  readonly baseUrl: string;
  readonly port: number;
  readonly dataDir: string | undefined;
  readonly endpoints: LocalEndpoints;
  readonly resources: LocalResources;
  health(): Promise<HealthReport>;
  /** Resolves with a reason if a service process dies on its own while the stack runs. */
  readonly serviceFailure: Promise<string>;
  /** Stops everything started here; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts the whole system on this machine: DynamoDB Local and fauxqs (unless `endpoints` are
 * given), the resources, the handler environment, the handlers, the API server, the SQS pollers and
 * the scanner loops. Resolves once /health would answer 200.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  silenceSdkNodeVersionWarning();
  const log = options.log ?? ((message: string, error?: unknown) => console.error(`[tock-local] ${message}`, error ?? ''));
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanup = async (): Promise<void> => {
    for (const step of cleanups.reverse().splice(0)) {
      try {
        await step();
      } catch (error) {
        log('a shutdown step failed', error);
      }
    }
  };

  try {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    const registry = dataDir ? await ProcessRegistry.claim(dataDir) : undefined;
    if (registry) cleanups.push(() => registry.release());
    const keys = loadOrCreateLocalKeys(dataDir);

    let reportFailure: (reason: string) => void = () => undefined;
    const serviceFailure = new Promise<string>((resolveFailure) => {
      reportFailure = resolveFailure;
    });
    let stopping = false;
    const endpoints = options.endpoints ?? (await startServices(dataDir, registry, cleanups, (reason) => {
      if (!stopping) reportFailure(reason);
    }));

    const shardCount = options.shardCount ?? positiveInteger('TOCK_SHARD_COUNT', 4);
    const resources = await createResources({
      prefix: options.prefix ?? 'tock',
      endpoints,
      ...(options.visibilityTimeoutSeconds !== undefined ? { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds } : {}),
    });
    applyHandlerEnvironment(handlerEnvironment({ endpoints, resources, secretsKey: keys.secretsKey }));
    process.env.TOCK_SHARD_COUNT = String(shardCount);
    const functions = localFunctions();
    const handlers: LambdaHandlers = isComplete(options.handlers) ? options.handlers : { ...(await importLambdaHandlers()), ...options.handlers };

    const dynamodb = new DynamoDBClient({ ...localClientConfig(endpoints.dynamodb), maxAttempts: 1 });
    const sqs = new SQSClient(localClientConfig(endpoints.sqs));
    const s3 = new S3Client({ ...localClientConfig(endpoints.s3), forcePathStyle: true, maxAttempts: 1 });
    cleanups.push(() => {
      dynamodb.destroy();
      sqs.destroy();
      s3.destroy();
    });

    const executorMapping = new EventSourceMapping({
      sqs,
      queueUrl: resources.queueUrl,
      queueArn: resources.queueArn,
      handler: handlers.executor,
      fn: functions.executor,
      pollers: options.executorPollers ?? positiveInteger('TOCK_LOCAL_EXECUTOR_POLLERS', 4),
      log,
    });
    const dlqMapping = new EventSourceMapping({
      sqs,
      queueUrl: resources.dlqUrl,
      queueArn: resources.dlqArn,
      handler: handlers.dlq,
      fn: functions.dlq,
      pollers: 1,
      log,
    });
    const scanners = new ScannerLoop({ handler: handlers.scanner, shardCount, fn: functions.scanner, log });

    const health = async (): Promise<HealthReport> => {
      const [dynamodbHealth, sqsHealth, s3Health] = await Promise.all([
        probe(() => dynamodb.send(new DescribeTableCommand({ TableName: resources.tableName }))),
        probe(() => sqs.send(new GetQueueAttributesCommand({ QueueUrl: resources.queueUrl, AttributeNames: ['QueueArn'] }))),
        probe(() => s3.send(new HeadBucketCommand({ Bucket: resources.bucket }))),
      ]);
      const components: Record<string, ComponentHealth> = {
        dynamodb: dynamodbHealth,
        sqs: sqsHealth,
        s3: s3Health,
        executorPollers: executorMapping.health(),
        dlqPoller: dlqMapping.health(),
        scanners: scanners.health(),
      };
      return { ok: Object.values(components).every((component) => component.status === 'ok'), components };
    };

    const staticDir = options.staticDir ?? join(REPO_ROOT, 'console', 'dist');
    const api: ApiServer = await startApiServer({
      port: options.port ?? 3000,
      apiHandler: handlers.api,
      fn: functions.api,
      jwt: { privateKey: keys.jwtPrivateKey, publicKey: keys.jwtPublicKey, keyId: keys.jwtKeyId },
      health,
      ...(existsSync(staticDir) || options.staticDir ? { staticDir } : {}),
      errorLog: log,
      ...(process.env.TOCK_LOCAL_ACCESS_LOG === 'true' ? { accessLog: (line: string) => log(line) } : {}),
    });
    // Stop order (cleanups run in reverse): API first, then the scanners, then drain the pollers,
    // then the services they talk to.
    cleanups.push(async () => {
      await dlqMapping.stop();
      await executorMapping.stop();
    });
    cleanups.push(() => scanners.stop());
    cleanups.push(() => api.close());

    executorMapping.start();
    dlqMapping.start();
    scanners.start();

    const report = await health();
    if (!report.ok) throw new Error(`the stack started but is not healthy: ${JSON.stringify(report.components)}`);
    registry?.update({ baseUrl: api.baseUrl, endpoints: { ...endpoints } });

    let stopped: Promise<void> | undefined;
    return {
      baseUrl: api.baseUrl,
      port: api.port,
      dataDir,
      endpoints,
      resources,
      health,
      serviceFailure,
      stop() {
        stopping = true;
        stopped ??= cleanup();
        return stopped;
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

async function startServices(
  dataDir: string | undefined,
  registry: ProcessRegistry | undefined,
  cleanups: (() => Promise<void> | void)[],
  onUnexpectedExit: (reason: string) => void,
): Promise<LocalEndpoints> {
  const dynamoStart = startDynamoDbLocal({
    ...(dataDir ? { dbDir: join(dataDir, 'dynamodb') } : {}),
    onSpawned: ({ wrapperPid, javaPid }) => {
      registry?.addChild('dynamodb-local-watchdog', wrapperPid);
      registry?.addChild('dynamodb-local-java', javaPid);
    },
  });
  const fauxqsStart = startFauxqs(dataDir ? { s3StorageDir: join(dataDir, 's3') } : {});
  const [dynamo, fauxqs] = await Promise.allSettled([dynamoStart, fauxqsStart]);
  const started: (DynamoDbLocalService | FauxqsService)[] = [];
  for (const result of [dynamo, fauxqs]) if (result.status === 'fulfilled') started.push(result.value);
  cleanups.push(async () => {
    await Promise.all(started.map((service) => service.stop()));
  });
  if (dynamo.status === 'rejected') throw dynamo.reason;
  if (fauxqs.status === 'rejected') throw fauxqs.reason;
  registry?.addChild('fauxqs', fauxqs.value.pid);
  void dynamo.value.exited.then(() => onUnexpectedExit('DynamoDB Local exited'));
  void fauxqs.value.exited.then(() => onUnexpectedExit('fauxqs (SQS/S3) exited'));
  return { dynamodb: dynamo.value.endpoint, sqs: fauxqs.value.endpoint, s3: fauxqs.value.endpoint };
}

async function probe(call: () => Promise<unknown>): Promise<ComponentHealth> {
  try {
    await withTimeout(call(), 2_000);
    return { status: 'ok' };
  } catch (error) {
    return { status: 'down', detail: (error as Error).name || String(error) };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function isComplete(handlers: Partial<LambdaHandlers> | undefined): handlers is LambdaHandlers {
  return handlers?.api !== undefined && handlers.scanner !== undefined && handlers.executor !== undefined && handlers.dlq !== undefined;
}

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}
