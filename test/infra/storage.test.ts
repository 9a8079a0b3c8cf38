import { Match } from 'aws-cdk-lib/assertions';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TockStack } from '../../infra/tockStack';
import { resourceNamed, synthTockStack } from './tockStackFixture';

let template: Template;
let stack: TockStack;

beforeAll(() => {
  ({ template, stack } = synthTockStack());
}, 120_000);

describe('table', () => {
  it('should key items by pk/sk with the keys-only gsi1, on demand', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [{
        IndexName: 'gsi1',
        KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }, { AttributeName: 'gsi1sk', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      }],
    });
  });

  it('should expire history through TTL on the ttl attribute, with PITR and encryption on', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('should protect and retain the table by default', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
      DeletionPolicy: 'Retain',
    });
  });

  it('should protect the stack itself from deletion by default', () => {
    expect(stack.terminationProtection).toBe(true);
  });

  it('should drop deletion protection when the setting says so', () => {
    const { template: unprotected, stack: unprotectedStack } = synthTockStack({ context: { deletionProtection: 'false' } });
    expect(unprotectedStack.terminationProtection).toBe(false);
    unprotected.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
      DeletionPolicy: 'Delete',
    });
  });
});

describe('queues', () => {
  it('should make the work queue high-throughput FIFO without content-based de-duplication', () => {
    const { props } = resourceNamed(template, 'AWS::SQS::Queue', 'QueuesWorkQueue');
    expect(props).toMatchObject({
      FifoQueue: true,
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
      SqsManagedSseEnabled: true,
    });
    expect(props.ContentBasedDeduplication).not.toBe(true);
  });

  it('should keep work-queue visibility at least 6x the executor timeout', () => {
    const { props: queue } = resourceNamed(template, 'AWS::SQS::Queue', 'QueuesWorkQueue');
    const { props: executor } = resourceNamed(template, 'AWS::Lambda::Function', 'ExecutorFunction');
    expect(queue.VisibilityTimeout as number).toBeGreaterThanOrEqual(6 * (executor.Timeout as number));
  });

  it('should keep DLQ visibility at least 6x the DLQ handler timeout', () => {
    const { props: queue } = resourceNamed(template, 'AWS::SQS::Queue', 'QueuesDeadLetterQueue');
    const { props: handler } = resourceNamed(template, 'AWS::Lambda::Function', 'DeadLettersFunction');
    expect(queue.VisibilityTimeout as number).toBeGreaterThanOrEqual(6 * (handler.Timeout as number));
  });

  it('should move a message to the FIFO DLQ after 5 receives', () => {
    const { id: dlqId, props: dlq } = resourceNamed(template, 'AWS::SQS::Queue', 'QueuesDeadLetterQueue');
    const { props: queue } = resourceNamed(template, 'AWS::SQS::Queue', 'QueuesWorkQueue');
    expect(dlq).toMatchObject({ FifoQueue: true, SqsManagedSseEnabled: true });
    expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 });
  });

  it('should refuse non-TLS access to both queues', () => {
    for (const prefix of ['QueuesWorkQueue', 'QueuesDeadLetterQueue']) {
      const { id } = resourceNamed(template, 'AWS::SQS::Queue', prefix);
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        })]) },
      });
    }
  });
});

describe('payload bucket', () => {
  it('should be encrypted, private and versioned, with logs to the access-log bucket', () => {
    const { id: logBucket } = resourceNamed(template, 'AWS::S3::Bucket', 'PayloadsAccessLogs');
    const { props } = resourceNamed(template, 'AWS::S3::Bucket', 'PayloadsE');
    expect(props).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: { Ref: logBucket } },
    });
  });

  it('should abort incomplete uploads after a day and expire old versions', () => {
    const { props } = resourceNamed(template, 'AWS::S3::Bucket', 'PayloadsE');
    expect(props.LifecycleConfiguration).toMatchObject({
      Rules: [expect.objectContaining({
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        NoncurrentVersionExpiration: { NoncurrentDays: 7 },
        Status: 'Enabled',
      })],
    });
  });

  it('should refuse non-TLS access to both buckets', () => {
    for (const prefix of ['PayloadsE', 'PayloadsAccessLogs']) {
      const { id } = resourceNamed(template, 'AWS::S3::Bucket', prefix);
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        })]) },
      });
    }
  });
});

describe('target secrets key', () => {
  it('should rotate the key that seals target header and signing secrets', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: Match.stringLikeRegexp('signing secrets') });
  });
});
