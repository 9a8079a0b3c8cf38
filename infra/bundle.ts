import path from 'node:path';
import { build } from 'esbuild';
import { bundleBuildOptions, LAMBDA_ENTRIES, PROJECT_ROOT, TRACING_BUNDLE, TRACING_ENTRY, entryPath } from './lambdaBundling';
import type { LambdaName } from './lambdaBundling';

/*
 * `npm run build` (after the type check): bundles the four Lambdas with exactly the esbuild
 * settings the stack uses, into cdk.out/bundles/<name>/index.mjs, and prints their sizes. It fails
 * when an entry does not bundle, which is what `cdk synth` would fail on too.
 */

const OUT_DIR = path.join(PROJECT_ROOT, 'cdk.out', 'bundles');

async function bundle(name: LambdaName, entry = entryPath(name), file = 'index.mjs'): Promise<number> {
  const outfile = path.join(OUT_DIR, name, file);
  const result = await build({ ...bundleBuildOptions(entry, outfile), metafile: true });
  return result.metafile.outputs[path.relative(process.cwd(), outfile)]?.bytes
    ?? Object.values(result.metafile.outputs)[0]?.bytes ?? 0;
}

const sizes: [string, string, number][] = [];
for (const name of Object.keys(LAMBDA_ENTRIES) as LambdaName[]) {
  sizes.push([name, 'index.mjs', await bundle(name)]);
  // Loaded only when X-Ray tracing is on (lambdas/runtime/observability.ts).
  sizes.push([name, TRACING_BUNDLE, await bundle(name, path.join(PROJECT_ROOT, TRACING_ENTRY), TRACING_BUNDLE)]);
}
for (const [name, file, bytes] of sizes) console.log(`${name.padEnd(9)} ${(bytes / 1024).toFixed(1).padStart(7)} KiB  ${path.relative(PROJECT_ROOT, path.join(OUT_DIR, name, file))}`);
