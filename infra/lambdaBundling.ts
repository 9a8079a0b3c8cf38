import { fileURLToPath } from 'node:url';
import path from 'node:path';

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
