import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { BuildOptions } from 'esbuild';

/** The repository root: entries, package-lock.json and node_modules are resolved from here. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The four Lambda entry points; each exports `handler`. */
export const LAMBDA_ENTRIES = {
  api: 'lambdas/api/handler.ts',
  scanner: 'lambdas/scanner/handler.ts',
  executor: 'lambdas/executor/handler.ts',
  dlq: 'lambdas/dlq/handler.ts',
} as const;

export type LambdaName = keyof typeof LAMBDA_ENTRIES;

export function entryPath(name: LambdaName): string {
  return path.join(PROJECT_ROOT, LAMBDA_ENTRIES[name]);
}

/**
 * The bundle is an ES module, but bundled CommonJS dependencies may still call `require()` for
 * Node built-ins, which ESM does not define; this banner gives them one.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __tockCreateRequire } from 'node:module'; const require = __tockCreateRequire(import.meta.url);";

/**
 * The only modules left out of the bundles: the AWS SDK v3 that the nodejs22.x runtime ships.
 * Its own dependencies (`@smithy/*`) are not imported by our code, so they need no entry here.
 */
export const RUNTIME_PROVIDED_MODULES = ['@aws-sdk/*'] as const;

/** esbuild settings shared by the CDK stack (NodejsFunction) and `npm run build` (infra/bundle.ts). */
export const ESBUILD_OPTIONS = {
  target: 'node22',
  format: 'esm',
  minify: true,
  // Keeps class and function names in stack traces and logs despite minification.
  keepNames: true,
  sourcemap: false,
  // Prefer the ES module builds of dependencies so that tree shaking works.
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  external: RUNTIME_PROVIDED_MODULES,
} as const;

/** esbuild's options for one bundle built like the stack's (`npm run build`, the cold-start benchmark). */
export function bundleBuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: ESBUILD_OPTIONS.target,
    format: ESBUILD_OPTIONS.format,
    minify: ESBUILD_OPTIONS.minify,
    keepNames: ESBUILD_OPTIONS.keepNames,
    sourcemap: ESBUILD_OPTIONS.sourcemap,
    mainFields: [...ESBUILD_OPTIONS.mainFields],
    banner: { js: ESBUILD_OPTIONS.banner },
    external: [...ESBUILD_OPTIONS.external],
    logLevel: 'warning',
  };
}

/**
 * The X-Ray tracing module, loaded by lambdas/runtime/observability.ts only when tracing is on. It is
 * bundled on its own beside each function's index.mjs, so that a function that does not trace
 * neither loads nor ships it inside its main bundle.
 */
export const TRACING_ENTRY = 'lambdas/runtime/awsCallTracing.ts';
export const TRACING_BUNDLE = 'tracing.mjs';

/** POSIX shell quoting: the whole value in single quotes. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** esbuild's command-line arguments for the tracing bundle, with the functions' settings. */
export function tracingBundleArgs(outputDir: string): string[] {
  return [
    path.join(PROJECT_ROOT, TRACING_ENTRY),
    '--bundle',
    '--platform=node',
    `--target=${ESBUILD_OPTIONS.target}`,
    `--format=${ESBUILD_OPTIONS.format}`,
    ...(ESBUILD_OPTIONS.minify ? ['--minify'] : []),
    ...(ESBUILD_OPTIONS.keepNames ? ['--keep-names'] : []),
    `--main-fields=${ESBUILD_OPTIONS.mainFields.join(',')}`,
    `--banner:js=${ESBUILD_OPTIONS.banner}`,
    ...ESBUILD_OPTIONS.external.map((module) => `--external:${module}`),
    '--log-level=warning',
    `--outfile=${path.join(outputDir, TRACING_BUNDLE)}`,
  ];
}

/** The shell command the CDK runs after bundling a function (NodejsFunction's afterBundling hook). */
export function tracingBundleCommand(outputDir: string): string {
  const esbuild = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'esbuild');
  return [esbuild, ...tracingBundleArgs(outputDir)].map(shellQuote).join(' ');
}
