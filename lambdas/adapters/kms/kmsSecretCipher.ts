import type { KMSClient } from '@aws-sdk/client-kms';
import type { SecretCipher } from '../../delivery/secretBox';

/**
 * The SDK's KMS module, imported when first needed: a bundle hoists every static import of an
 * external package to its top, where it would load at cold start (lambdas/runtime/lazyAdapters.ts).
 */
const kmsSdk = () => import('@aws-sdk/client-kms');

const PREFIX = 'kms:v1:';
const CACHE_LIMIT = 1000;

/**
 * Seals small secrets with KMS. Decryptions are cached per Lambda container: KMS charges per
 * request, and a signing secret is needed for every delivery.
 */
export class KmsSecretCipher implements SecretCipher {
  private readonly opened = new Map<string, string>();

  constructor(
    private readonly client: KMSClient,
    private readonly keyId: string,
  ) {}

  async encrypt(plain: string): Promise<string> {
    const { EncryptCommand } = await kmsSdk();
    const out = await this.client.send(new EncryptCommand({ KeyId: this.keyId, Plaintext: Buffer.from(plain, 'utf8') }));
    return PREFIX + Buffer.from(out.CiphertextBlob!).toString('base64');
  }

  async decrypt(sealed: string): Promise<string> {
    if (!sealed.startsWith(PREFIX)) return sealed;
    const cached = this.opened.get(sealed);
    if (cached !== undefined) return cached;
    const { DecryptCommand } = await kmsSdk();
    const out = await this.client.send(
      new DecryptCommand({ KeyId: this.keyId, CiphertextBlob: Buffer.from(sealed.slice(PREFIX.length), 'base64') }),
    );
    const plain = Buffer.from(out.Plaintext!).toString('utf8');
    if (this.opened.size >= CACHE_LIMIT) this.opened.delete(this.opened.keys().next().value!);
    this.opened.set(sealed, plain);
    return plain;
  }
}
