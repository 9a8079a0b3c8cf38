import type { PayloadStore, WorkQueue } from '../app/ports';
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

/** A work queue built on its first use, or ahead of it by `ready()`. */
export interface LazyWorkQueue extends WorkQueue {
  /** Builds the queue now: for a function that always sends, at cold start rather than on its first send. */
  ready(): Promise<void>;
}

/**
 * A work queue built on its first use. Only the scanner sends on every run; the executor and the
 * dead-letter handler never send, and the API only for a trigger, so loading the SQS SDK package
 * at their cold start (about 30 ms) would be wasted.
 */
export function lazyWorkQueue(load: () => Promise<WorkQueue>): LazyWorkQueue {
  const queue = once(load);
  return {
    send: async (messages) => (await queue()).send(messages),
    createdAt: async () => (await queue()).createdAt(),
    ready: async () => void (await queue()),
  };
}
