import { describe, expect, it } from 'vitest';
import { lazyPayloadStore, lazySecretCipher } from '../../../lambdas/runtime/lazyAdapters';
import type { PayloadStore } from '../../../lambdas/app/ports';

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
