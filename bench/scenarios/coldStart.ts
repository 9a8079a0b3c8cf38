import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { bundleBuildOptions, LAMBDA_ENTRIES, PROJECT_ROOT, TRACING_BUNDLE, TRACING_ENTRY, entryPath } from '../../infra/lambdaBundling';
import type { LambdaName } from '../../infra/lambdaBundling';
import { median, round } from '../support/stats';

export interface ColdStart {
  /** The minified index.mjs, as deployed. */
  readonly bundleBytes: number;
  /** Median time to import it in a fresh Node process, the runtime's AWS SDK resolved from node_modules. */
  readonly initMs: number;
  /** CPU time of that import (user + system): what the wall time would be on an idle machine. */
  readonly initCpuMs: number;
  /**
   * Wall time of importing only the AWS SDK packages the bundle imports (the runtime's, external):
   * the part of the init that is the SDK's, not Tock's.
   */
  readonly sdkOnlyMs: number;
  /** Wall time with X-Ray tracing on (it then also loads tracing.mjs), median of `tracedSamples`. */
  readonly initMsTracing: number;
  readonly tracedSamples: number;
  readonly tracingBundleBytes: number;
  readonly samples: number;
}

/** Builds bundles where ESM resolution finds the repository's node_modules (the SDK is left external, as on AWS). */
const OUT_DIR = path.join(PROJECT_ROOT, 'bench', 'results', 'tmp', 'bundles');

async function bundle(entry: string, outfile: string): Promise<number> {
  await build(bundleBuildOptions(entry, outfile));
  return statSync(outfile).size;
}

/** What a function's configuration would hold on AWS: dummy values, enough for the module to initialize. */
const DUMMY_ENV = {
  TOCK_TABLE_NAME: 'tock-main',
  TOCK_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/tock-work.fifo',
  TOCK_DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/tock-dlq.fifo',
  TOCK_PAYLOAD_BUCKET: 'tock-payloads',
  TOCK_KMS_KEY_ID: 'alias/tock',
  TOCK_SHARD_COUNT: '4',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'dummy',
  AWS_SECRET_ACCESS_KEY: 'dummy',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_SERVICE_NAME: 'tock-bench',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

/** One fresh process: the wall and CPU time its `import()` of the bundle takes, in ms. */
function importOnce(file: string, tracing: boolean): { wallMs: number; cpuMs: number } {
  const script =
    `const t = performance.now(); const c = process.cpuUsage(); await import(${JSON.stringify(pathToFileURL(file).href)}); ` +
    `const u = process.cpuUsage(c); process.stdout.write(JSON.stringify({ wallMs: performance.now() - t, cpuMs: (u.user + u.system) / 1000 }));`;
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...DUMMY_ENV, ...(tracing ? { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', AWS_LAMBDA_FUNCTION_NAME: 'bench' } : {}) };
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' })) as { wallMs: number; cpuMs: number };
}

export async function measureColdStarts(samples = 10, tracedSamples = samples): Promise<Record<LambdaName, ColdStart>> {
  const results = {} as Record<LambdaName, ColdStart>;
  for (const name of Object.keys(LAMBDA_ENTRIES) as LambdaName[]) {
    const dir = path.join(OUT_DIR, name);
    mkdirSync(dir, { recursive: true });
    const index = path.join(dir, 'index.mjs');
    const bundleBytes = await bundle(entryPath(name), index);
    const tracingBundleBytes = await bundle(path.join(PROJECT_ROOT, TRACING_ENTRY), path.join(dir, TRACING_BUNDLE));
    // The same static imports of the external SDK, and nothing else.
    const sdkImports = [...new Set(readFileSync(index, 'utf8').match(/from\s*"@aws-sdk\/[a-z0-9-]+"/g) ?? [])].map((m) => m.replace(/^from\s*/, ''));
    const sdkOnly = path.join(dir, 'sdk-only.mjs');
    writeFileSync(sdkOnly, sdkImports.map((specifier) => `import ${specifier};`).join('\n'));
    // Interleaved, so that a burst of load on the machine hits all alike.
    const plain: { wallMs: number; cpuMs: number }[] = [];
    const traced: number[] = [];
    const sdk: number[] = [];
    for (let i = 0; i < samples; i++) {
      plain.push(importOnce(index, false));
      sdk.push(importOnce(sdkOnly, false).wallMs);
      if (i < tracedSamples) traced.push(importOnce(index, true).wallMs);
    }
    results[name] = {
      bundleBytes,
      initMs: round(median(plain.map((p) => p.wallMs))),
      initCpuMs: round(median(plain.map((p) => p.cpuMs))),
      sdkOnlyMs: round(median(sdk)),
      initMsTracing: round(median(traced)),
      tracingBundleBytes,
      samples,
      tracedSamples: traced.length,
    };
  }
  return results;
}
