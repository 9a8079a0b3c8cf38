import type { S3Client } from '@aws-sdk/client-s3';
import type { PayloadStore } from '../../app/ports';

/**
 * The SDK's S3 module, imported when first needed: a bundle hoists every static import of an
 * external package to its top, where it would load at cold start (lambdas/runtime/lazyAdapters.ts).
 */
const s3Sdk = () => import('@aws-sdk/client-s3');

/** Claim check for payloads too large for a DynamoDB item. */
export class S3PayloadStore implements PayloadStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: string): Promise<void> {
    const { PutObjectCommand } = await s3Sdk();
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/json; charset=utf-8' }),
    );
  }

  async get(key: string): Promise<string> {
    const { GetObjectCommand } = await s3Sdk();
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!out.Body) throw new Error(`payload object ${key} has no body`);
    return out.Body.transformToString('utf-8');
  }

  async delete(key: string): Promise<void> {
    const { DeleteObjectCommand } = await s3Sdk();
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}
