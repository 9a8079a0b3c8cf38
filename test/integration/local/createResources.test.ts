import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { createResources } from '../../../local/createResources';
import { localClientConfig } from '../../../local/localAws';
import { createTestResources, localServices, uniquePrefix, useTestEnvironment } from '../../support/localServices';

describe('createResources', () => {
  it('should create the table, the FIFO work queue with its DLQ and the bucket as the CDK stack does', async () => {
    // Act
    const resources = await createTestResources(uniquePrefix('res'));

    // Assess
    const endpoints = localServices();
    const dynamodb = new DynamoDBClient(localClientConfig(endpoints.dynamodb));
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: resources.tableName }));
    expect(resources.tableName).toMatch(/-main$/);
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.GlobalSecondaryIndexes?.[0]).toMatchObject({
      IndexName: 'gsi1',
      KeySchema: [
        { AttributeName: 'gsi1pk', KeyType: 'HASH' },
        { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    });
    const ttl = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: resources.tableName }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ AttributeName: 'ttl', TimeToLiveStatus: 'ENABLED' });

    const sqs = new SQSClient(localClientConfig(endpoints.sqs));
    const work = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: resources.queueUrl, AttributeNames: ['All'] }));
    expect(resources.queueUrl).toMatch(/-work\.fifo$/);
    expect(work.Attributes).toMatchObject({
      FifoQueue: 'true',
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
      VisibilityTimeout: '540',
      MessageRetentionPeriod: '345600',
    });
    expect(JSON.parse(work.Attributes!.RedrivePolicy!)).toEqual({ deadLetterTargetArn: resources.dlqArn, maxReceiveCount: 5 });
    const dlq = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: resources.dlqUrl, AttributeNames: ['All'] }));
    expect(resources.dlqUrl).toMatch(/-dlq\.fifo$/);
    expect(dlq.Attributes).toMatchObject({ FifoQueue: 'true', QueueArn: resources.dlqArn, VisibilityTimeout: '180', MessageRetentionPeriod: '1209600' });

    const s3 = new S3Client({ ...localClientConfig(endpoints.s3), forcePathStyle: true });
    await expect(s3.send(new HeadBucketCommand({ Bucket: resources.bucket }))).resolves.toBeDefined();
  });

  it('should be safe to run again, and bring the queue settings in line', async () => {
    // Prepare
    const prefix = uniquePrefix('res-again');
    const endpoints = localServices();
    const first = await createResources({ prefix, endpoints });

    // Act
    const second = await createResources({ prefix, endpoints, visibilityTimeoutSeconds: 30 });

    // Assess
    expect(second).toEqual(first);
    const sqs = new SQSClient(localClientConfig(endpoints.sqs));
    const work = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: second.queueUrl, AttributeNames: ['VisibilityTimeout'] }));
    expect(work.Attributes?.VisibilityTimeout).toBe('30');
  });

  it('should let clients built with no options find the local services through AWS_ENDPOINT_URL_*', async () => {
    // Prepare: the handlers construct their clients exactly like this, at import time.
    const resources = await createTestResources(uniquePrefix('res-env'));
    useTestEnvironment(resources);

    // Act
    const tables = await new DynamoDBClient({}).send(new ListTablesCommand({}));
    const queue = await new SQSClient({}).send(new GetQueueAttributesCommand({ QueueUrl: resources.queueUrl, AttributeNames: ['QueueArn'] }));
    const bucket = await new S3Client({ forcePathStyle: true }).send(new HeadBucketCommand({ Bucket: resources.bucket }));

    // Assess
    expect(tables.TableNames).toContain(resources.tableName);
    expect(queue.Attributes?.QueueArn).toBe(resources.queueArn);
    expect(bucket.$metadata.httpStatusCode).toBe(200);
    expect(resources.env).toMatchObject({
      TOCK_TABLE_NAME: resources.tableName,
      TOCK_QUEUE_URL: resources.queueUrl,
      TOCK_DLQ_URL: resources.dlqUrl,
      TOCK_PAYLOAD_BUCKET: resources.bucket,
      TOCK_S3_FORCE_PATH_STYLE: 'true',
      TOCK_ALLOW_LOOPBACK_TARGETS: 'true',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
    });
    expect(Buffer.from(resources.env.TOCK_SECRETS_KEY!, 'base64')).toHaveLength(32);
  });
});
