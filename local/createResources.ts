import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueNameExists,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { localFunctions, visibilityTimeoutFor } from './lambdaContext';
import { localClientConfig } from './localAws';
import type { LocalEndpoints } from './localAws';

export const DEFAULT_MAX_RECEIVE_COUNT = 5;

export interface CreateResourcesOptions {
  /** Names are `<prefix>-main`, `<prefix>-work.fifo`, `<prefix>-dlq.fifo`, `<prefix>-payloads`. */
  readonly prefix: string;
  readonly endpoints: LocalEndpoints;
  /** Work queue visibility. @default TOCK_LOCAL_VISIBILITY_TIMEOUT, else 6x the executor timeout (540 s) */
  readonly visibilityTimeoutSeconds?: number;
  /** Receives before SQS moves a message to the DLQ. @default 5 */
  readonly maxReceiveCount?: number;
}

/** What the handlers need to know about the resources. */
export interface LocalResources {
  readonly tableName: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly dlqUrl: string;
  readonly dlqArn: string;
  readonly bucket: string;
}

/**
 * Creates the table, the FIFO work queue with its DLQ, and the payload bucket, the way the CDK
 * stack does on AWS. Safe to call again: what exists is kept (queue attributes are brought in line).
 */
export async function createResources(options: CreateResourcesOptions): Promise<LocalResources> {
  const { prefix, endpoints } = options;
  const functions = localFunctions();
  const visibilityTimeout = options.visibilityTimeoutSeconds ?? envInteger('TOCK_LOCAL_VISIBILITY_TIMEOUT') ?? visibilityTimeoutFor(functions.executor);
  const dynamodb = new DynamoDBClient(localClientConfig(endpoints.dynamodb));
  const sqs = new SQSClient(localClientConfig(endpoints.sqs));
  const s3 = new S3Client({ ...localClientConfig(endpoints.s3), forcePathStyle: true });
  try {
    const [tableName, queues, bucket] = await Promise.all([
      createTable(dynamodb, `${prefix}-main`),
      createQueues(sqs, endpoints.sqs, prefix, visibilityTimeout, visibilityTimeoutFor(functions.dlq), options.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT),
      createBucket(s3, `${prefix}-payloads`),
    ]);
    return { tableName, ...queues, bucket };
  } finally {
    dynamodb.destroy();
    sqs.destroy();
    s3.destroy();
  }
}

async function createTable(client: DynamoDBClient, tableName: string): Promise<string> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'gsi1pk', AttributeType: 'S' },
          { AttributeName: 'gsi1sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'gsi1',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { TableName: tableName });
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
  if (status !== 'ENABLED' && status !== 'ENABLING') {
    await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true } }));
  }
  return tableName;
}

const FIFO_ATTRIBUTES = {
  FifoQueue: 'true',
  // High-throughput FIFO: de-duplication and throughput limits per message group.
  DeduplicationScope: 'messageGroup',
  FifoThroughputLimit: 'perMessageGroupId',
} as const;

async function createQueues(
  client: SQSClient,
  endpoint: string,
  prefix: string,
  visibilityTimeout: number,
  dlqVisibilityTimeout: number,
  maxReceiveCount: number,
): Promise<Pick<LocalResources, 'queueUrl' | 'queueArn' | 'dlqUrl' | 'dlqArn'>> {
  const dlqUrl = await createQueue(client, endpoint, `${prefix}-dlq.fifo`, {
    FifoQueue: 'true',
    // As on AWS: the DLQ handler settles messages within seconds; two weeks is the margin.
    MessageRetentionPeriod: String(14 * 24 * 3600),
    VisibilityTimeout: String(dlqVisibilityTimeout),
  });
  const dlqArn = await queueArn(client, dlqUrl);
  const queueUrl = await createQueue(client, endpoint, `${prefix}-work.fifo`, {
    ...FIFO_ATTRIBUTES,
    VisibilityTimeout: String(visibilityTimeout),
    MessageRetentionPeriod: String(4 * 24 * 3600),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }),
  });
  return { queueUrl, queueArn: await queueArn(client, queueUrl), dlqUrl, dlqArn };
}

async function createQueue(client: SQSClient, endpoint: string, name: string, attributes: Record<string, string>): Promise<string> {
  let queueUrl: string;
  try {
    const created = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    queueUrl = created.QueueUrl!;
  } catch (error) {
    // fauxqs answers with the query-protocol code, which the SDK does not map to QueueNameExists.
    if (!(error instanceof QueueNameExists) && !/QueueNameExists$/.test((error as Error).name)) throw error;
    // It exists with other settings (say, another visibility timeout): converge on ours.
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: name }));
    // The FIFO settings are fixed at creation (fauxqs refuses to set them afterwards).
    const settable = Object.fromEntries(Object.entries(attributes).filter(([name]) => !(name in FIFO_ATTRIBUTES)));
    await client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: settable }));
    queueUrl = QueueUrl!;
  }
  return onEndpoint(queueUrl, endpoint);
}

/**
 * fauxqs names queues `http://sqs.<region>.localhost:<port>/<account>/<name>`, a host that does not
 * resolve everywhere, and the SDK sends each call to its QueueUrl's host (unless the client was
 * given an explicit endpoint, which the handlers are not). So the URL is moved onto the endpoint
 * itself; fauxqs finds a queue by the path alone.
 */
function onEndpoint(queueUrl: string, endpoint: string): string {
  return `${endpoint.replace(/\/$/, '')}${new URL(queueUrl).pathname}`;
}

async function queueArn(client: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  return Attributes!.QueueArn!;
}

async function createBucket(client: S3Client, bucket: string): Promise<string> {
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const name = (error as Error).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  }
  return bucket;
}

function envInteger(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}
