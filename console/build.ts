/**
 * Builds the web console into `console/dist` (or `outDir`): esbuild bundles `src/main.ts` into
 * `app.js`, and `index.html`, `styles.css` and `config.json` sit beside it. `npm start` runs this
 * first (about a tenth of a second), so a fresh clone serves the console after `npm ci`; the CDK
 * app runs it to make the asset it uploads, with the deploy-time config.json added there.
 */
import { build, buildSync } from 'esbuild';
import type { BuildOptions } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ConsoleConfig } from './src/consoleConfig';

export const CONSOLE_DIR = fileURLToPath(new URL('.', import.meta.url));
export const DEFAULT_OUT_DIR = join(CONSOLE_DIR, 'dist');
const STATIC_FILES = ['index.html', 'styles.css'];

export interface ConsoleBuildOptions {
  /** @default console/dist */
  readonly outDir?: string;
  /**
   * Written as `config.json`; `null` writes none (the deployment adds its own).
   * @default { auth: 'local' }
   */
  readonly config?: ConsoleConfig | null;
}

function esbuildOptions(outDir: string): BuildOptions {
  return {
    entryPoints: [join(CONSOLE_DIR, 'src', 'main.ts')],
    outfile: join(outDir, 'app.js'),
    bundle: true,
    format: 'esm',
    target: ['es2022', 'chrome111', 'firefox111', 'safari16.4'],
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  };
}

function prepare(outDir: string): void {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
}

function finish(outDir: string, config: ConsoleConfig | null): void {
  for (const file of STATIC_FILES) copyFileSync(join(CONSOLE_DIR, file), join(outDir, file));
  if (config !== null) writeFileSync(join(outDir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
}

/** Builds the console; the output folder is replaced as a whole. */
export async function buildConsole(options: ConsoleBuildOptions = {}): Promise<string> {
  const outDir = resolve(options.outDir ?? DEFAULT_OUT_DIR);
  prepare(outDir);
  await build(esbuildOptions(outDir));
  finish(outDir, options.config === undefined ? { auth: 'local' } : options.config);
  return outDir;
}

/** The same, synchronously (CDK's local asset bundling cannot wait for a promise). */
export function buildConsoleSync(options: ConsoleBuildOptions = {}): string {
  const outDir = resolve(options.outDir ?? DEFAULT_OUT_DIR);
  prepare(outDir);
  buildSync(esbuildOptions(outDir));
  finish(outDir, options.config === undefined ? { auth: 'local' } : options.config);
  return outDir;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const startedAt = Date.now();
  buildConsole().then(
    (outDir) => console.error(`[console] built ${outDir} in ${Date.now() - startedAt} ms`),
    (error: unknown) => {
      console.error('[console] build failed', error);
      process.exit(1);
    },
  );
}
