import { describe, expect, it } from 'vitest';
import { lazyPayloadStore, lazySecretCipher, lazyWorkQueue } from '../../../lambdas/runtime/lazyAdapters';
import type { PayloadStore, WorkQueue } from '../../../lambdas/app/ports';

function memoryStore(): PayloadStore {
  const objects = new Map<string, string>();
  return {
    put: (key, body) => Promise.resolve(void objects.set(key, body)),
    get: (key) => Promise.resolve(objects.get(key) ?? ''),
    delete: (key) => Promise.resolve(void objects.delete(key)),
  };
}

describe('lazyPayloadStore', () => {
  it('should not build the store until it is first used', () => {
    // Prepare
    let loads = 0;

    // Act
    lazyPayloadStore(() => {
      loads++;
      return Promise.resolve(memoryStore());
    });

    // Assess
    expect(loads).toBe(0);
  });

  it('should build the store once, however many calls come at once', async () => {
    // Prepare
    let loads = 0;
    const store = lazyPayloadStore(async () => {
      loads++;
      return memoryStore();
    });

    // Act
    await Promise.all([store.put('a', '1'), store.put('b', '2'), store.get('a')]);
    const read = await store.get('b');

    // Assess
    expect(loads).toBe(1);
    expect(read).toBe('2');
  });

  it('should try to build the store again after a failed load', async () => {
    // Prepare
    let loads = 0;
    const store = lazyPayloadStore(async () => {
      loads++;
      if (loads === 1) throw new Error('no network');
      return memoryStore();
    });

    // Act
    const first = store.get('a');
    await expect(first).rejects.toThrow('no network');
    await store.put('a', 'x');

    // Assess
    expect(loads).toBe(2);
    expect(await store.get('a')).toBe('x');
  });
});

describe('lazySecretCipher', () => {
  it('should build the cipher on first use and pass calls through', async () => {
    // Prepare
    let loads = 0;
    const cipher = lazySecretCipher(async () => {
      loads++;
      return { encrypt: async (plain) => `sealed:${plain}`, decrypt: async (sealed) => sealed.replace('sealed:', '') };
    });

    // Act
    const sealed = await cipher.encrypt('secret');
    const opened = await cipher.decrypt(sealed);

    // Assess
    expect(loads).toBe(1);
    expect(opened).toBe('secret');
  });
});

describe('lazyWorkQueue', () => {
  function recordingQueue(sent: string[]): WorkQueue {
    return {
      send: async (messages) => void sent.push(...messages.map((m) => m.deduplicationId)),
      createdAt: async () => '1700000000',
    };
  }

  it('should build the queue on its first send, once, and pass the messages through', async () => {
    // Prepare
    let loads = 0;
    const sent: string[] = [];
    const queue = lazyWorkQueue(async () => {
      loads++;
      return recordingQueue(sent);
    });
    const message = { u: 'u', t: 't', e: 'e', s: '2026-01-01T00:00:00.000Z', a: 1, d: 0, k: 'occurrence' as const };

    // Act
    const before = loads;
    await Promise.all([queue.send([{ message, deduplicationId: 'a' }]), queue.send([{ message, deduplicationId: 'b' }]), queue.createdAt()]);

    // Assess
    expect(before).toBe(0);
    expect(loads).toBe(1);
    expect(sent.sort()).toEqual(['a', 'b']);
    expect(await queue.createdAt()).toBe('1700000000');
  });

  it('should build the queue ahead of its first send when asked to be ready, and retry a failed build', async () => {
    // Prepare
    let loads = 0;
    const queue = lazyWorkQueue(async () => {
      loads++;
      if (loads === 1) throw new Error('SDK not loadable yet');
      return recordingQueue([]);
    });

    // Act
    const first = queue.ready();

    // Assess
    await expect(first).rejects.toThrow('SDK not loadable yet');
    await queue.ready();
    expect(loads).toBe(2);
    await queue.createdAt();
    expect(loads).toBe(2);
  });
});
