import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';

/** Debian's chromium (.ci/run installs it with apt-get); playwright-core downloads no browser. */
export const CHROMIUM_PATH = process.env.TOCK_CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where browser tests save their screenshots (git ignores it). */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../artifacts/', import.meta.url));

export interface Chromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Headless chromium with a fresh profile: no sandbox (CI runs as root), no GPU, and nothing that
 * calls home (component updates, sync, background networking).
 */
export async function launchChromium(): Promise<Chromium> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`no chromium at ${CHROMIUM_PATH}: install it with "apt-get install -y chromium chromium-driver" (as .ci/run does)`);
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'tock-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** `test/artifacts/<folder>/<name>.png`, the folder made when missing. */
export function screenshotPath(folder: string, name: string): string {
  const dir = join(ARTIFACTS_DIR, folder);
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}
