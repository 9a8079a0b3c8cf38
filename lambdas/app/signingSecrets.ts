import type { DynamoSigningSecretStore, StoredSigningSecrets } from '../adapters/dynamo/dynamoSigningSecretStore';
import type { SecretCipher } from '../delivery/secretBox';
import { generateSigningSecret } from '../delivery/webhookSignature';
import type { Clock } from './ports';

/** After a rotation, deliveries carry signatures with both secrets for this long. */
export const ROTATION_GRACE_MS = 24 * 3600 * 1000;

export interface SigningSecretView {
  readonly secret: string;
  readonly previous: string | null;
  readonly rotatedAt: string | null;
  readonly previousValidUntil: string | null;
}

/** Each user's Standard Webhooks signing secret: made on first use, rotatable, sealed at rest. */
export class SigningSecrets {
  constructor(
    private readonly store: DynamoSigningSecretStore,
    private readonly cipher: SecretCipher,
    private readonly clock: Clock,
  ) {}

  private async open(stored: StoredSigningSecrets): Promise<SigningSecretView> {
    const inGrace =
      stored.previous !== null && stored.rotatedAt !== null && Date.parse(stored.rotatedAt) + ROTATION_GRACE_MS > this.clock.now().getTime();
    return {
      secret: await this.cipher.decrypt(stored.current),
      previous: inGrace ? await this.cipher.decrypt(stored.previous!) : null,
      rotatedAt: stored.rotatedAt,
      previousValidUntil: inGrace ? new Date(Date.parse(stored.rotatedAt!) + ROTATION_GRACE_MS).toISOString() : null,
    };
  }

  async current(userId: string): Promise<SigningSecretView> {
    for (;;) {
      const stored = await this.store.get(userId, true);
      if (stored) return this.open(stored);
      const fresh: StoredSigningSecrets = { current: await this.cipher.encrypt(generateSigningSecret()), previous: null, rotatedAt: null, version: 1 };
      if (await this.store.put(userId, fresh, 0)) return this.open(fresh);
    }
  }

  async rotate(userId: string): Promise<SigningSecretView> {
    for (;;) {
      await this.current(userId);
      const stored = (await this.store.get(userId, true))!;
      const next: StoredSigningSecrets = {
        current: await this.cipher.encrypt(generateSigningSecret()),
        previous: stored.current,
        rotatedAt: this.clock.now().toISOString(),
        version: stored.version + 1,
      };
      if (await this.store.put(userId, next, stored.version)) return this.open(next);
    }
  }

  /** The secrets a delivery is signed with: the current one, and the previous one during the grace period. */
  async forDelivery(userId: string): Promise<string[]> {
    const view = await this.current(userId);
    return view.previous ? [view.secret, view.previous] : [view.secret];
  }
}
