import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { S3Client } from '@aws-sdk/client-s3';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { TockConfig } from '../config';
import { traceAwsClient } from './observability';
import { DynamoTaskStore } from '../adapters/dynamo/dynamoTaskStore';
import { DynamoExecutionStore } from '../adapters/dynamo/dynamoExecutionStore';
import { DynamoDueIndex } from '../adapters/dynamo/dynamoDueIndex';
import { DynamoSigningSecretStore } from '../adapters/dynamo/dynamoSigningSecretStore';
import { DynamoRateBucketStore } from '../adapters/dynamo/dynamoRateBucketStore';
import { LocalSecretCipher } from '../delivery/secretBox';
import type { SecretCipher } from '../delivery/secretBox';
import type { TargetAddressPolicy } from '../delivery/targetAddressPolicy';
import { assertValidTargetAddressPolicy } from '../delivery/targetAddressPolicy';
import { SigningSecrets } from '../app/signingSecrets';
import { lazyPayloadStore, lazySecretCipher, lazyWorkQueue } from './lazyAdapters';
import { systemClock } from '../app/ports';

/** Any AWS SDK v3 client compose() builds. */
export type AwsClient = DynamoDBClient | SQSClient | S3Client | KMSClient;

/**
 * Called with every AWS client compose() builds, before its first use. Nothing in the product adds
 * to it: the cost benchmark (bench/cost) counts every call and its consumed capacity through it.
 */
export const awsClientObservers: Array<(client: AwsClient) => void> = [];

function observed<T extends AwsClient>(client: T): T {
  for (const observe of awsClientObservers) observe(client);
  return client;
}

/**
 * Everything a handler needs, built once per cold start. Endpoints come from the SDK's own
 * AWS_ENDPOINT_URL_* variables, so the same code serves AWS and the local stack.
 */
export function compose(config: TockConfig) {
  const dynamo = DynamoDBDocumentClient.from(traceAwsClient(observed(new DynamoDBClient({}))), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  // SQS, S3 and KMS are built on their first use, not at cold start (lazyAdapters.ts): most runs
  // never need them, and loading their SDK packages was a third of every function's init.
  const queue = lazyWorkQueue(async () => {
    const [{ SQSClient }, { SqsWorkQueue }] = await Promise.all([import('@aws-sdk/client-sqs'), import('../adapters/sqs/sqsWorkQueue')]);
    // The configured endpoint wins over the queue URL's host (the local SQS names hosts that do not resolve).
    return new SqsWorkQueue(traceAwsClient(observed(new SQSClient({ useQueueUrlAsEndpoint: false }))), config.queueUrl);
  });
  const payloads = lazyPayloadStore(async () => {
    const [{ S3Client }, { S3PayloadStore }] = await Promise.all([import('@aws-sdk/client-s3'), import('../adapters/s3/s3PayloadStore')]);
    return new S3PayloadStore(traceAwsClient(observed(new S3Client({ forcePathStyle: config.s3ForcePathStyle }))), config.payloadBucket);
  });
  const kmsKeyId = config.kmsKeyId;
  const cipher: SecretCipher = config.secretsKey
    ? new LocalSecretCipher(config.secretsKey)
    : kmsKeyId
      ? lazySecretCipher(async () => {
          const [{ KMSClient }, { KmsSecretCipher }] = await Promise.all([import('@aws-sdk/client-kms'), import('../adapters/kms/kmsSecretCipher')]);
          return new KmsSecretCipher(observed(new KMSClient({})), kmsKeyId);
        })
      : missingCipher;
  const targetPolicy: TargetAddressPolicy = {
    allowLoopback: config.allowLoopbackTargets,
    allowedCidrs: config.allowedTargetCidrs,
  };
  // A mistyped operator CIDR fails the cold start, not every delivery.
  assertValidTargetAddressPolicy(targetPolicy);
  const clock = systemClock;
  return {
    config,
    clock,
    cipher,
    targetPolicy,
    tasks: new DynamoTaskStore(dynamo, config.tableName, config.maxTasksPerUser > 0 ? config.maxTasksPerUser : undefined, config.historyRetentionDays),
    rateBuckets: new DynamoRateBucketStore(dynamo, config.tableName),
    executions: new DynamoExecutionStore(dynamo, config.tableName, config.historyRetentionDays),
    dueIndex: new DynamoDueIndex(dynamo, config.tableName),
    payloads,
    queue,
    signingSecrets: new SigningSecrets(new DynamoSigningSecretStore(dynamo, config.tableName), cipher, clock),
  };
}

export type Composition = ReturnType<typeof compose>;

const missingCipher: SecretCipher = {
  encrypt: () => Promise.reject(new Error('no secrets key: set TOCK_SECRETS_KEY (local) or TOCK_KMS_KEY_ID (AWS)')),
  decrypt: () => Promise.reject(new Error('no secrets key: set TOCK_SECRETS_KEY (local) or TOCK_KMS_KEY_ID (AWS)')),
};
