import { CfnOutput, Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { bindPayloadBucket, bindQueueConsumer, bindQueueSender, bindSecretsKey, bindTable } from './constructs/bindings';
import { ConsoleHosting } from './constructs/consoleHosting';
import { PayloadStorage } from './constructs/payloadStorage';
import { ScannerTriggers } from './constructs/scannerTriggers';
import { TockFunction } from './constructs/tockFunction';
import { TockHttpApi } from './constructs/tockHttpApi';
import { TockMonitoring } from './constructs/tockMonitoring';
import { TockTable } from './constructs/tockTable';
import { WorkQueues } from './constructs/workQueues';
import { resolveSettings } from './settings';
import type { TockSettings } from './settings';

/** How long one scanner invocation keeps handing work over (`TOCK_SCANNER_RUN_MS`). */
export const SCANNER_RUN = Duration.seconds(55);
/** The scanner's timeout: its run plus time to finish the last hand-over and write its cursor. */
export const SCANNER_TIMEOUT = Duration.seconds(70);
/** Added to the longest attempt for the executor's timeout: claim, record and the lease margin. */
export const EXECUTOR_TIMEOUT_MARGIN = Duration.seconds(30);

/** The stack of a stage: `tock-<stage>`; also the name of its schedule group and dashboard. */
export function tockStackName(stage: string): string {
  return `tock-${stage}`;
}

export interface TockStackProps extends StackProps {
  /**
   * Settings that override the CDK context (cdk.json and `-c key=value`); see infra/settings.ts
   * for each one and its default.
   * @default {} - context and defaults only
   */
  readonly settings?: Partial<TockSettings>;
}

/**
 * Everything Tock runs on in one account and region (DESIGN.md's card): the table, the FIFO work
 * queue and its DLQ, the payload bucket, the key for target header secrets, the four functions
 * with least-privilege bindings, one scanner schedule per shard, the HTTP API with Cognito and IAM
 * auth, the web console on CloudFront, and the dashboard and alarms.
 */
export class TockStack extends Stack {
  public readonly settings: TockSettings;
  public readonly table: TockTable;
  public readonly queues: WorkQueues;
  public readonly payloads: PayloadStorage;
  public readonly secretsKey: Key;
  public readonly functions: Readonly<Record<'api' | 'scanner' | 'executor' | 'dlq', TockFunction>>;
  public readonly scannerTriggers: ScannerTriggers;
  public readonly httpApi: TockHttpApi;
  public readonly console: ConsoleHosting;
  public readonly monitoring: TockMonitoring;

  constructor(scope: Construct, id: string, props: TockStackProps = {}) {
    super(scope, id, { description: 'Tock: serverless multi-tenant task scheduler', ...props });
    const settings = resolveSettings(this.node, props.settings);
    this.settings = settings;
    // Deletion protection covers the stack itself too: `cdk destroy` needs a deploy with it off first.
    this.terminationProtection = settings.deletionProtection;
    Tags.of(this).add('app', 'tock');
    Tags.of(this).add('tock:stage', settings.stage);

    const retain = settings.deletionProtection;
    const logRetention = settings.logRetentionDays as RetentionDays;
    const serviceName = `tock-${settings.stage}`;
    const executorTimeout = Duration.seconds(settings.maxAttemptTimeoutSeconds + EXECUTOR_TIMEOUT_MARGIN.toSeconds());
    const dlqTimeout = Duration.seconds(30);

    this.table = new TockTable(this, 'Data', { deletionProtection: settings.deletionProtection });
    this.queues = new WorkQueues(this, 'Queues', { executorTimeout, deadLetterHandlerTimeout: dlqTimeout });
    this.payloads = new PayloadStorage(this, 'Payloads', { accessLogRetentionDays: settings.logRetentionDays });
    this.secretsKey = new Key(this, 'TargetSecretsKey', {
      description: 'Tock: seals secret target header values and users\' signing secrets',
      alias: `alias/${this.stackName}/target-secrets`,
      enableKeyRotation: true,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    const environment = {
      TOCK_SHARD_COUNT: String(settings.shardCount),
      TOCK_HISTORY_RETENTION_DAYS: String(settings.historyRetentionDays),
      TOCK_MAX_ATTEMPT_TIMEOUT_SECONDS: String(settings.maxAttemptTimeoutSeconds),
      TOCK_ALLOWED_TARGET_CIDRS: settings.allowedTargetCidrs.join(','),
    };
    const common = { serviceName, logLevel: settings.logLevel, logRetention, retainLogs: retain, environment };
    const api = new TockFunction(this, 'Api', {
      ...common, entry: 'api', description: 'Tock HTTP API', timeout: Duration.seconds(10), memorySize: 1024,
      environment: {
        ...environment,
        TOCK_USER_RPS: String(settings.userRequestsPerSecond),
        TOCK_USER_BURST: String(settings.userRequestBurst),
        TOCK_MAX_TASKS_PER_USER: String(settings.maxTasksPerUser),
        TOCK_MIN_INTERVAL_SECONDS: String(settings.minIntervalSeconds),
      },
    });
    const scanner = new TockFunction(this, 'Scanner', {
      ...common, entry: 'scanner', description: 'Tock scanner: hands one shard\'s due work to the queue at its second',
      timeout: SCANNER_TIMEOUT, reservedConcurrency: settings.scannerReservedConcurrency,
      environment: { ...environment, TOCK_SCANNER_RUN_MS: String(SCANNER_RUN.toMilliseconds()) },
    });
    const executor = new TockFunction(this, 'Executor', {
      ...common, entry: 'executor', description: 'Tock executor: claims an execution and calls its target',
      timeout: executorTimeout, reservedConcurrency: settings.executorReservedConcurrency,
    });
    const dlq = new TockFunction(this, 'DeadLetters', {
      ...common, entry: 'dlq', description: 'Tock dead-letter handler: settles executions that crashed the executor',
      timeout: dlqTimeout, memorySize: 256,
    });
    this.functions = { api, scanner, executor, dlq };

    // Least privilege, each grant bound to the variable that names its resource (constructs/bindings.ts).
    bindTable(api.function, this.table, { queryListIndex: true });
    bindPayloadBucket(api.function, this.payloads.bucket, 'readWrite');
    bindQueueSender(api.function, this.queues.queue, 'TOCK_QUEUE_URL');
    bindSecretsKey(api.function, this.secretsKey, ['encrypt', 'decrypt']);

    bindTable(scanner.function, this.table);
    bindQueueSender(scanner.function, this.queues.queue, 'TOCK_QUEUE_URL', { readAttributes: true });

    // Retries go through the table (a due entry), never back into the queue: no send for the executor.
    bindTable(executor.function, this.table);
    bindPayloadBucket(executor.function, this.payloads.bucket, 'read');
    bindSecretsKey(executor.function, this.secretsKey, ['encrypt', 'decrypt']);
    bindQueueConsumer(executor.function, this.queues.queue, 'TOCK_QUEUE_URL', {
      maxConcurrency: settings.executorReservedConcurrency,
    });

    bindTable(dlq.function, this.table);
    bindQueueConsumer(dlq.function, this.queues.deadLetterQueue, 'TOCK_DLQ_URL', { maxConcurrency: 2 });

    // A failed or late scanner invocation is not retried: the next minute's invocation of the
    // shard takes over from the cursor, and a retry would only overlap it.
    scanner.function.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(1) });
    this.scannerTriggers = new ScannerTriggers(this, 'ScannerTriggers', {
      scanner: scanner.function, shardCount: settings.shardCount, groupName: this.stackName,
    });

    this.httpApi = new TockHttpApi(this, 'Http', {
      handler: api.function,
      throttleRateLimit: settings.apiThrottleRateLimit,
      throttleBurstLimit: settings.apiThrottleBurstLimit,
      accessLogRetention: logRetention,
      deletionProtection: settings.deletionProtection,
      threatProtection: settings.userPoolThreatProtection,
      corsAllowedOrigins: settings.corsAllowedOrigins,
      customDomainName: settings.customDomainName,
      certificateArn: settings.certificateArn,
    });

    // The web console on CloudFront, signing in through the user pool's Hosted UI.
    this.console = new ConsoleHosting(this, 'Console', {
      api: this.httpApi.api,
      userPool: this.httpApi.userPool,
      logRetentionDays: settings.logRetentionDays,
    });
    this.httpApi.acceptTokensFrom(this.console.client);

    this.monitoring = new TockMonitoring(this, 'Monitoring', {
      serviceName,
      api: this.httpApi.api,
      functions: { api: api.function, scanner: scanner.function, executor: executor.function, dlq: dlq.function },
      queue: this.queues.queue,
      deadLetterQueue: this.queues.deadLetterQueue,
      alarmEmail: settings.alarmEmail,
    });

    this.addOutputs();
  }

  private addOutputs(): void {
    const outputs: Record<string, string> = {
      ApiUrl: this.httpApi.stage.url,
      ConsoleUrl: this.console.url,
      HostedUiDomain: this.console.domain.baseUrl(),
      UserPoolId: this.httpApi.userPool.userPoolId,
      UserPoolClientId: this.httpApi.userPoolClient.userPoolClientId,
      IamRoutesArn: this.httpApi.iamRoutesArn,
      TableName: this.table.table.tableName,
      WorkQueueUrl: this.queues.queue.queueUrl,
      WorkQueueArn: this.queues.queue.queueArn,
      DeadLetterQueueUrl: this.queues.deadLetterQueue.queueUrl,
      DeadLetterQueueArn: this.queues.deadLetterQueue.queueArn,
      PayloadBucketName: this.payloads.bucket.bucketName,
      ScheduleGroupName: this.stackName,
      DashboardName: this.stackName,
    };
    if (this.httpApi.domainName) {
      outputs.CustomDomainTarget = this.httpApi.domainName.regionalDomainName;
    }
    for (const [name, value] of Object.entries(outputs)) new CfnOutput(this, name, { value });
  }
}
