import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import type { TockTable } from './tockTable';

/*
 * Each binding grants one function exactly the actions it needs on one resource and sets the
 * environment variable (lambdas/config.ts) that names that resource, so a function can never
 * know about a resource it may not use, nor hold a grant it has no name for.
 * Actions are listed one by one: no wildcard action, and no resource other than the bound one.
 */

/** Every item operation of the data layer. Transactions need no action of their own: they are
 * authorized by the Put/Update/Delete/ConditionCheck actions they contain. Scan is not needed. */
export const TABLE_READ_WRITE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
] as const;

export interface TableBindingOptions {
  /**
   * Whether the function lists a user's tasks through the keys-only index (Query on that index only).
   * @default false
   */
  readonly queryListIndex?: boolean;
}

/** `TOCK_TABLE_NAME` plus read/write on the table's items. */
export function bindTable(fn: LambdaFunction, table: TockTable, options: TableBindingOptions = {}): void {
  fn.addEnvironment('TOCK_TABLE_NAME', table.table.tableName);
  fn.addToRolePolicy(new PolicyStatement({ actions: [...TABLE_READ_WRITE_ACTIONS], resources: [table.table.tableArn] }));
  if (options.queryListIndex) {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: [table.listIndexArn] }));
  }
}

/** The queue variables of lambdas/config.ts. */
export type QueueVariable = 'TOCK_QUEUE_URL' | 'TOCK_DLQ_URL';

export interface QueueSenderOptions {
  /**
   * Also read the queue's attributes: the scanner compares `CreatedTimestamp` with its cursor to
   * notice a queue that was recreated (and so emptied) and re-drive from the table.
   * @default false
   */
  readonly readAttributes?: boolean;
}

/** The queue's URL plus `sqs:SendMessage` (which also authorizes SendMessageBatch). */
export function bindQueueSender(fn: LambdaFunction, queue: IQueue, variable: QueueVariable, options: QueueSenderOptions = {}): void {
  fn.addEnvironment(variable, queue.queueUrl);
  const actions = options.readAttributes ? ['sqs:SendMessage', 'sqs:GetQueueAttributes'] : ['sqs:SendMessage'];
  fn.addToRolePolicy(new PolicyStatement({ actions, resources: [queue.queueArn] }));
}

export interface QueueConsumerOptions {
  /** Event-source maximum concurrency (2-1000). */
  readonly maxConcurrency: number;
  /**
   * Records per batch.
   * @default 10
   */
  readonly batchSize?: number;
}

/**
 * The queue's URL plus an event source mapping that reports partial batch failures (one poison
 * message never fails its neighbours). The mapping grants the consume actions
 * (ReceiveMessage, DeleteMessage, ChangeMessageVisibility, GetQueueAttributes, GetQueueUrl) on this queue.
 */
export function bindQueueConsumer(fn: LambdaFunction, queue: IQueue, variable: QueueVariable, options: QueueConsumerOptions): void {
  fn.addEnvironment(variable, queue.queueUrl);
  fn.addEventSource(new SqsEventSource(queue, {
    batchSize: options.batchSize ?? 10,
    reportBatchItemFailures: true,
    maxConcurrency: options.maxConcurrency,
  }));
}

/** Object actions per access mode; payload keys are generated per task, hence `<bucket>/*`. */
const BUCKET_ACTIONS = {
  read: ['s3:GetObject'],
  readWrite: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
} as const;

/** `TOCK_PAYLOAD_BUCKET` plus object access in that bucket only. */
export function bindPayloadBucket(fn: LambdaFunction, bucket: Bucket, access: keyof typeof BUCKET_ACTIONS): void {
  fn.addEnvironment('TOCK_PAYLOAD_BUCKET', bucket.bucketName);
  fn.addToRolePolicy(new PolicyStatement({ actions: [...BUCKET_ACTIONS[access]], resources: [bucket.arnForObjects('*')] }));
  if (fn.role) {
    const bucketId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnBucket);
    NagSuppressions.addResourceSuppressions(fn.role, [{
      id: 'AwsSolutions-IAM5',
      reason: 'Object actions on the payload bucket only: object keys are generated per task at run time, so ' +
        'the resource is the bucket\'s objects (<bucket>/*), never another bucket.',
      appliesTo: [`Resource::<${bucketId}.Arn>/*`],
    }], true);
  }
}

export type KeyUse = 'encrypt' | 'decrypt';

/**
 * `TOCK_KMS_KEY_ID` plus the key operations a function performs. The key seals both kinds of
 * secret the code keeps (lambdas/runtime/composition.ts builds one cipher for both):
 * - target header values: sealed by the API, opened by the executor;
 * - each user's signing secret (lambdas/app/signingSecrets.ts): created sealed on first use by
 *   whichever of the API or the executor needs it first, and opened by both (GET /v1/signing-secret,
 *   signing a delivery).
 * So both functions need both operations today; the scanner and the DLQ handler get neither.
 */
export function bindSecretsKey(fn: LambdaFunction, key: IKey, uses: readonly KeyUse[]): void {
  fn.addEnvironment('TOCK_KMS_KEY_ID', key.keyArn);
  const actions = uses.map((use) => (use === 'encrypt' ? 'kms:Encrypt' : 'kms:Decrypt'));
  fn.addToRolePolicy(new PolicyStatement({ actions, resources: [key.keyArn] }));
}
