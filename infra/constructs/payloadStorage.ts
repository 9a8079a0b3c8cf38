import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

export interface PayloadStorageProps {
  /** Days the server access logs are kept. */
  readonly accessLogRetentionDays: number;
  /**
   * Days an overwritten or deleted payload stays recoverable as a noncurrent version.
   * @default 7
   */
  readonly noncurrentVersionDays?: number;
}

/**
 * The claim-check bucket for payloads too large for a DynamoDB item, and the bucket that
 * receives its server access logs. Both are encrypted (SSE-S3), private, TLS-only and kept when
 * the stack is deleted (they may hold users' data).
 */
export class PayloadStorage extends Construct {
  public readonly bucket: Bucket;
  public readonly accessLogBucket: Bucket;

  constructor(scope: Construct, id: string, props: PayloadStorageProps) {
    super(scope, id);

    this.accessLogBucket = new Bucket(this, 'AccessLogs', {
      // Server access log delivery does not support SSE-KMS targets.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(props.accessLogRetentionDays) }],
    });
    NagSuppressions.addResourceSuppressions(this.accessLogBucket, [{
      id: 'AwsSolutions-S1',
      reason: 'This bucket is the server access log target of the payload bucket; logging it would log its own log deliveries.',
    }]);

    this.bucket = new Bucket(this, 'Payloads', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      // Versions make an overwrite or delete recoverable for a short while, like PITR on the table.
      versioned: true,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'payloads/',
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{
        id: 'abort-uploads-and-expire-old-versions',
        abortIncompleteMultipartUploadAfter: Duration.days(1),
        noncurrentVersionExpiration: Duration.days(props.noncurrentVersionDays ?? 7),
        expiredObjectDeleteMarker: true,
      }],
    });
  }
}
