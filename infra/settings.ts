import type { Node } from 'constructs';

/** Log levels the functions accept (Powertools and Lambda's application log level agree on these). */
export type TockLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/**
 * Everything an operator can change about a deployment. Each field can be set in `cdk.json`'s
 * `context`, with `-c key=value` on the command line, or through `TockStackProps.settings`
 * (props win over context, context wins over the defaults below).
 */
export interface TockSettings {
  /**
   * Deployment stage. Names the stack (`tock-<stage>`), the schedule group and the Powertools
   * service, so two stages can share an account and region.
   * @default 'prod'
   */
  readonly stage: string;
  /**
   * Number of due-index shards: each has its own scanner schedule and sets `TOCK_SHARD_COUNT`.
   * Change it with the reshard procedure in docs/deploy.md, never with a bare deploy when shrinking.
   * @default 8
   */
  readonly shardCount: number;
  /**
   * Days an execution stays in the history before DynamoDB's TTL removes it (`TOCK_HISTORY_RETENTION_DAYS`).
   * @default 30
   */
  readonly historyRetentionDays: number;
  /**
   * Private CIDR ranges that tasks may target anyway (`TOCK_ALLOWED_TARGET_CIDRS`).
   * A list in cdk.json, comma separated with `-c`.
   * @default [] - every private, loopback and link-local address is refused
   */
  readonly allowedTargetCidrs: readonly string[];
  /**
   * Log level of every function (`POWERTOOLS_LOG_LEVEL` and Lambda's application log level).
   * @default 'INFO'
   */
  readonly logLevel: TockLogLevel;
  /**
   * Retention of every log group (functions and API access logs), in days. Must be one of the
   * values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...).
   * @default 30
   */
  readonly logRetentionDays: number;
  /**
   * Deletion protection on the table and the user pool; with it, the table, log groups and
   * keys are also retained when the stack is deleted.
   * @default true
   */
  readonly deletionProtection: boolean;
  /**
   * Reserved concurrency of the scanner. Each shard runs one invocation a minute, and an
   * invocation may overlap the next one by its last seconds, hence twice the shard count.
   * @default 2 * shardCount
   */
  readonly scannerReservedConcurrency: number;
  /**
   * Reserved concurrency of the executor, also the queue's event-source maximum concurrency
   * (so SQS never hands the executor more than it may run, and throttles never burn receive counts).
   * @default 100
   */
  readonly executorReservedConcurrency: number;
  /**
   * Upper bound of one delivery attempt in seconds (`TOCK_MAX_ATTEMPT_TIMEOUT_SECONDS`).
   * The executor's timeout is this plus 30 s, and the queue's visibility timeout six times that.
   * @default 60
   */
  readonly maxAttemptTimeoutSeconds: number;
  /**
   * Steady-state request rate of the API stage (requests per second, all callers together;
   * per-user limits are the API's own token bucket).
   * @default 10000 - the regional HTTP API quota of a new account
   */
  readonly apiThrottleRateLimit: number;
  /**
   * Burst capacity of the API stage.
   * @default 5000 - the regional HTTP API quota of a new account
   */
  readonly apiThrottleBurstLimit: number;
  /**
   * Requests per second one user may make, sustained (`TOCK_USER_RPS`); 0 turns the per-user
   * limit off. docs/security.md explains the token bucket.
   * @default 100
   */
  readonly userRequestsPerSecond: number;
  /**
   * Requests one user may make at once after a quiet spell (`TOCK_USER_BURST`).
   * @default 200
   */
  readonly userRequestBurst: number;
  /**
   * Tasks one user may have at once, whatever their status (`TOCK_MAX_TASKS_PER_USER`); 0 means no limit.
   * @default 10000
   */
  readonly maxTasksPerUser: number;
  /**
   * Shortest gap allowed between two runs of one task, in seconds (`TOCK_MIN_INTERVAL_SECONDS`).
   * @default 1 - whatever the schedule engine accepts
   */
  readonly minIntervalSeconds: number;
  /**
   * Custom domain for the API (for example `api.tock.example.com`); needs `certificateArn`.
   * @default - none, the API answers on its execute-api URL only
   */
  readonly customDomainName?: string;
  /**
   * ACM certificate (in the stack's region) for `customDomainName`.
   * @default - none
   */
  readonly certificateArn?: string;
  /**
   * E-mail address subscribed to the alarm topic. Without it no topic is created and the
   * alarms only show in CloudWatch.
   * @default - none
   */
  readonly alarmEmail?: string;
  /**
   * Origins allowed to call the API from a browser (CORS). A list in cdk.json, comma separated with `-c`.
   * @default [] - no CORS
   */
  readonly corsAllowedOrigins: readonly string[];
  /**
   * Cognito threat protection (advanced security, enforced). It needs the Plus feature plan,
   * which is billed per monthly active user; turning it off is a cost decision (docs/deploy.md).
   * @default true
   */
  readonly userPoolThreatProtection: boolean;
}

/** The defaults, in one place; cdk.json repeats them for operators and a test keeps the two equal. */
export const DEFAULT_SETTINGS = {
  stage: 'prod',
  shardCount: 8,
  historyRetentionDays: 30,
  allowedTargetCidrs: [],
  logLevel: 'INFO',
  logRetentionDays: 30,
  deletionProtection: true,
  executorReservedConcurrency: 100,
  maxAttemptTimeoutSeconds: 60,
  apiThrottleRateLimit: 10_000,
  apiThrottleBurstLimit: 5_000,
  userRequestsPerSecond: 100,
  userRequestBurst: 200,
  maxTasksPerUser: 10_000,
  minIntervalSeconds: 1,
  corsAllowedOrigins: [],
  userPoolThreatProtection: true,
} as const satisfies Omit<TockSettings, 'scannerReservedConcurrency'>;

/** Retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const LOG_LEVELS: readonly TockLogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];
const CIDR = /^(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[0-9a-fA-F:]+\/\d{1,3})$/;

/** A setting that cannot be used, named so the operator knows what to fix. */
export class InvalidSettingError extends Error {
  override readonly name = 'InvalidSettingError';
  constructor(readonly key: keyof TockSettings, message: string) {
    super(`Invalid setting "${key}": ${message}`);
  }
}

type Raw = Readonly<Record<string, unknown>>;

/** Context values arrive as JSON from cdk.json and as strings from `-c key=value`. */
function integer(raw: Raw, key: keyof TockSettings, fallback: number, min: number, max: number): number {
  const value = raw[key] ?? fallback;
  const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof parsed !== 'number' || !Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new InvalidSettingError(key, `expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

function boolean(raw: Raw, key: keyof TockSettings, fallback: boolean): boolean {
  const value = raw[key] ?? fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new InvalidSettingError(key, `expected true or false, got ${JSON.stringify(value)}`);
}

function list(raw: Raw, key: keyof TockSettings, fallback: readonly string[]): readonly string[] {
  const value = raw[key] ?? fallback;
  const items = typeof value === 'string' ? value.split(',') : value;
  if (!Array.isArray(items) || items.some((item) => typeof item !== 'string')) {
    throw new InvalidSettingError(key, `expected a list of strings, got ${JSON.stringify(value)}`);
  }
  return items.map((item: string) => item.trim()).filter(Boolean);
}

function optionalString(raw: Raw, key: keyof TockSettings): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new InvalidSettingError(key, `expected a string, got ${JSON.stringify(value)}`);
  return value;
}

/** Validates and completes raw settings (context merged with props). */
export function parseSettings(raw: Raw): TockSettings {
  const stage = optionalString(raw, 'stage') ?? DEFAULT_SETTINGS.stage;
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
    throw new InvalidSettingError('stage', `expected lower-case letters, digits and dashes (at most 20), got "${stage}"`);
  }
  const shardCount = integer(raw, 'shardCount', DEFAULT_SETTINGS.shardCount, 1, 256);
  const logLevel = (optionalString(raw, 'logLevel') ?? DEFAULT_SETTINGS.logLevel).toUpperCase() as TockLogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new InvalidSettingError('logLevel', `expected one of ${LOG_LEVELS.join(', ')}`);
  const logRetentionDays = integer(raw, 'logRetentionDays', DEFAULT_SETTINGS.logRetentionDays, 1, 3653);
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    throw new InvalidSettingError('logRetentionDays', `expected one of ${LOG_RETENTION_DAYS.join(', ')}`);
  }
  const allowedTargetCidrs = list(raw, 'allowedTargetCidrs', DEFAULT_SETTINGS.allowedTargetCidrs);
  const badCidr = allowedTargetCidrs.find((cidr) => !CIDR.test(cidr));
  if (badCidr) throw new InvalidSettingError('allowedTargetCidrs', `"${badCidr}" is not a CIDR range`);
  const scannerReservedConcurrency = integer(raw, 'scannerReservedConcurrency', 2 * shardCount, shardCount, 1000);
  const customDomainName = optionalString(raw, 'customDomainName');
  const certificateArn = optionalString(raw, 'certificateArn');
  if ((customDomainName === undefined) !== (certificateArn === undefined)) {
    throw new InvalidSettingError(customDomainName ? 'certificateArn' : 'customDomainName',
      'customDomainName and certificateArn go together');
  }
  const alarmEmail = optionalString(raw, 'alarmEmail');
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+$/.test(alarmEmail)) {
    throw new InvalidSettingError('alarmEmail', `"${alarmEmail}" is not an e-mail address`);
  }
  return {
    stage,
    shardCount,
    historyRetentionDays: integer(raw, 'historyRetentionDays', DEFAULT_SETTINGS.historyRetentionDays, 1, 3650),
    allowedTargetCidrs,
    logLevel,
    logRetentionDays,
    deletionProtection: boolean(raw, 'deletionProtection', DEFAULT_SETTINGS.deletionProtection),
    scannerReservedConcurrency,
    executorReservedConcurrency: integer(raw, 'executorReservedConcurrency', DEFAULT_SETTINGS.executorReservedConcurrency, 2, 1000),
    // 840 s keeps the executor inside Lambda's 900 s limit (timeout = attempt + 30 s).
    maxAttemptTimeoutSeconds: integer(raw, 'maxAttemptTimeoutSeconds', DEFAULT_SETTINGS.maxAttemptTimeoutSeconds, 1, 840),
    apiThrottleRateLimit: integer(raw, 'apiThrottleRateLimit', DEFAULT_SETTINGS.apiThrottleRateLimit, 1, 1_000_000),
    apiThrottleBurstLimit: integer(raw, 'apiThrottleBurstLimit', DEFAULT_SETTINGS.apiThrottleBurstLimit, 1, 1_000_000),
    userRequestsPerSecond: integer(raw, 'userRequestsPerSecond', DEFAULT_SETTINGS.userRequestsPerSecond, 0, 1_000_000),
    userRequestBurst: integer(raw, 'userRequestBurst', DEFAULT_SETTINGS.userRequestBurst, 1, 1_000_000),
    maxTasksPerUser: integer(raw, 'maxTasksPerUser', DEFAULT_SETTINGS.maxTasksPerUser, 0, 100_000_000),
    minIntervalSeconds: integer(raw, 'minIntervalSeconds', DEFAULT_SETTINGS.minIntervalSeconds, 1, 31_536_000),
    customDomainName,
    certificateArn,
    alarmEmail,
    corsAllowedOrigins: list(raw, 'corsAllowedOrigins', DEFAULT_SETTINGS.corsAllowedOrigins),
    userPoolThreatProtection: boolean(raw, 'userPoolThreatProtection', DEFAULT_SETTINGS.userPoolThreatProtection),
  };
}

const KEYS: readonly (keyof TockSettings)[] = [
  ...Object.keys(DEFAULT_SETTINGS) as (keyof TockSettings)[],
  'scannerReservedConcurrency', 'customDomainName', 'certificateArn', 'alarmEmail',
];

/** Reads every setting from the construct tree's context, then applies `overrides` (props) on top. */
export function resolveSettings(node: Node, overrides: Partial<TockSettings> = {}): TockSettings {
  const raw: Record<string, unknown> = {};
  for (const key of KEYS) {
    const value = overrides[key] ?? node.tryGetContext(key);
    if (value !== undefined) raw[key] = value;
  }
  return parseSettings(raw);
}
