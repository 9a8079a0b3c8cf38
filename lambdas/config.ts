/**
 * Runtime configuration read from the environment, once per cold start.
 * The same variables are set by the CDK stack on AWS and by the local runtime (local/start.ts).
 * Endpoints are not configured here: the AWS SDK reads AWS_ENDPOINT_URL_DYNAMODB,
 * AWS_ENDPOINT_URL_SQS and AWS_ENDPOINT_URL_S3 itself, which is all that local mode changes.
 */
export interface TockConfig {
  /** The single DynamoDB table (docs/data-model.md). */
  readonly tableName: string;
  /** The FIFO work queue the scanner feeds and the executor drains. */
  readonly queueUrl: string;
  /** Its dead-letter queue (FIFO too). */
  readonly deadLetterQueueUrl: string;
  /** Bucket for payloads too large for a DynamoDB item. */
  readonly payloadBucket: string;
  /** Path-style S3 addressing (needed by the local S3). */
  readonly s3ForcePathStyle: boolean;
  /** Number of due-index shards. */
  readonly shardCount: number;
  /** Days an execution stays in the history before DynamoDB's TTL removes it. */
  readonly historyRetentionDays: number;
  /** Allow loopback targets (local mode only). */
  readonly allowLoopbackTargets: boolean;
  /** Private CIDR ranges an operator allows as targets, comma separated in the environment. */
  readonly allowedTargetCidrs: readonly string[];
  /** Key material for encrypting target header values: 32 bytes, base64 (local mode). */
  readonly secretsKey: string | undefined;
  /** KMS key for encrypting target header values (AWS). */
  readonly kmsKeyId: string | undefined;
  /** How long one scanner invocation keeps handing work over, in ms (about its minute). */
  readonly scannerRunMs: number;
  /** Upper bound of one delivery attempt; the lease is this plus a margin. */
  readonly maxAttemptTimeoutSeconds: number;
  /** Per-user quotas and limits (issue 6). */
  readonly maxTasksPerUser: number;
  readonly minIntervalSeconds: number;
  readonly requestsPerSecondPerUser: number;
  readonly requestBurstPerUser: number;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new Error(`${name} must be an integer, got "${raw}"`);
  return value;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const raw = env[name];
  if (!raw) throw new Error(`${name} is not set`);
  return raw;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): TockConfig {
  return {
    tableName: required(env, 'TOCK_TABLE_NAME'),
    queueUrl: env.TOCK_QUEUE_URL ?? '',
    deadLetterQueueUrl: env.TOCK_DLQ_URL ?? '',
    payloadBucket: env.TOCK_PAYLOAD_BUCKET ?? '',
    s3ForcePathStyle: env.TOCK_S3_FORCE_PATH_STYLE === 'true',
    shardCount: integer(env, 'TOCK_SHARD_COUNT', 4),
    historyRetentionDays: integer(env, 'TOCK_HISTORY_RETENTION_DAYS', 30),
    allowLoopbackTargets: env.TOCK_ALLOW_LOOPBACK_TARGETS === 'true',
    allowedTargetCidrs: (env.TOCK_ALLOWED_TARGET_CIDRS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    secretsKey: env.TOCK_SECRETS_KEY || undefined,
    kmsKeyId: env.TOCK_KMS_KEY_ID || undefined,
    scannerRunMs: integer(env, 'TOCK_SCANNER_RUN_MS', 55_000),
    maxAttemptTimeoutSeconds: integer(env, 'TOCK_MAX_ATTEMPT_TIMEOUT_SECONDS', 60),
    maxTasksPerUser: integer(env, 'TOCK_MAX_TASKS_PER_USER', 10_000),
    minIntervalSeconds: integer(env, 'TOCK_MIN_INTERVAL_SECONDS', 1),
    requestsPerSecondPerUser: integer(env, 'TOCK_USER_RPS', 100),
    requestBurstPerUser: integer(env, 'TOCK_USER_BURST', 200),
  };
}
