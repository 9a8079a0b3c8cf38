/**
 * The one region and the one credential pair every local client uses.
 * DynamoDB Local keeps one database per access key and region unless it runs with -sharedDb; the
 * runtime does both (fixed pair and -sharedDb) so no tool can land in a second, empty database.
 */
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** Where the local stand-ins for the AWS services answer. */
export interface LocalEndpoints {
  readonly dynamodb: string;
  readonly sqs: string;
  readonly s3: string;
}

/** Client options pointing an AWS SDK v3 client at one local endpoint. */
export function localClientConfig(endpoint: string): {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
} {
  return { endpoint, region: LOCAL_REGION, credentials: { ...LOCAL_CREDENTIALS } };
}

/**
 * The SDK warns once per process that releases after January 2027 need Node 22. We pin the SDK
 * (DESIGN.md), so that notice is noise here; every other warning stays visible.
 */
export function silenceSdkNodeVersionWarning(env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
}
