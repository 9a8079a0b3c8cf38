import type { PayloadStore } from '../app/ports';
import type { SecretCipher } from '../delivery/secretBox';

/** Runs `load` once, on the first call; a failed load is tried again on the next call. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}

/**
 * A payload store built on its first use. The S3 client is needed only for payloads over 300 KB,
 * and loading its SDK package at cold start cost every function about 70 ms.
 */
export function lazyPayloadStore(load: () => Promise<PayloadStore>): PayloadStore {
  const store = once(load);
  return {
    put: async (key, body) => (await store()).put(key, body),
    get: async (key) => (await store()).get(key),
    delete: async (key) => (await store()).delete(key),
  };
}

/**
 * A cipher built on its first use. KMS is needed only to seal or open a secret (the executor opens
 * a user's signing secret once per container), and loading its SDK package at cold start cost
 * every function about 40 ms.
 */
export function lazySecretCipher(load: () => Promise<SecretCipher>): SecretCipher {
  const cipher = once(load);
  return {
    encrypt: async (plain) => (await cipher()).encrypt(plain),
    decrypt: async (sealed) => (await cipher()).decrypt(sealed),
  };
}
