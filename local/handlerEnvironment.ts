import type { LocalResources } from './createResources';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './localAws';
import type { LocalEndpoints } from './localAws';

export interface HandlerEnvironmentInput {
  readonly endpoints: LocalEndpoints;
  readonly resources: LocalResources;
  /** TOCK_SECRETS_KEY to use unless the user set one. */
  readonly secretsKey: string;
}

/** Variables to set, and variables to remove because they would send the SDK elsewhere. */
export interface HandlerEnvironment {
  readonly set: Readonly<Record<string, string>>;
  readonly unset: readonly string[];
}

/**
 * The environment the handlers read at import time: the names the CDK stack sets on AWS, pointed at
 * the local resources, plus the SDK's service-specific endpoint variables (AWS_ENDPOINT_URL_<SERVICE>,
 * which SDK v3 reads by itself). Tunables a user set (any other TOCK_*) are kept; the resource names,
 * region and credentials are the runtime's.
 */
export function handlerEnvironment(input: HandlerEnvironmentInput, userEnv: NodeJS.ProcessEnv = process.env): HandlerEnvironment {
  const keep = (name: string, fallback: string): string => {
    const value = userEnv[name];
    return value === undefined || value === '' ? fallback : value;
  };
  return {
    set: {
      TOCK_TABLE_NAME: input.resources.tableName,
      TOCK_QUEUE_URL: input.resources.queueUrl,
      TOCK_DLQ_URL: input.resources.dlqUrl,
      TOCK_PAYLOAD_BUCKET: input.resources.bucket,
      TOCK_S3_FORCE_PATH_STYLE: 'true',
      TOCK_SHARD_COUNT: keep('TOCK_SHARD_COUNT', '4'),
      TOCK_ALLOW_LOOPBACK_TARGETS: keep('TOCK_ALLOW_LOOPBACK_TARGETS', 'true'),
      TOCK_SECRETS_KEY: keep('TOCK_SECRETS_KEY', input.secretsKey),
      TOCK_SCANNER_RUN_MS: keep('TOCK_SCANNER_RUN_MS', '55000'),
      AWS_REGION: LOCAL_REGION,
      AWS_DEFAULT_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: input.endpoints.dynamodb,
      AWS_ENDPOINT_URL_SQS: input.endpoints.sqs,
      AWS_ENDPOINT_URL_S3: input.endpoints.s3,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    // A session token would ride along with the local keys; a profile or the "ignore endpoints"
    // switch could send the handlers to real AWS.
    unset: ['AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_ENDPOINT_URL', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'],
  };
}

/** Applies a HandlerEnvironment to `target` (process.env by default). */
export function applyHandlerEnvironment(environment: HandlerEnvironment, target: NodeJS.ProcessEnv = process.env): void {
  for (const name of environment.unset) delete target[name];
  Object.assign(target, environment.set);
}
