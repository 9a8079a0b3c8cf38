import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Stage } from 'aws-cdk-lib';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { beforeAll, describe, expect, it } from 'vitest';
import { ESM_REQUIRE_BANNER, TRACING_BUNDLE } from '../../infra/lambdaBundling';
import type { TockStack } from '../../infra/tockStack';
import { synthTockStack } from './tockStackFixture';

let stack: TockStack;

beforeAll(() => {
  // The one suite that bundles and validates, as `cdk synth` does. It fails whenever an entry
  // does not bundle: then `cdk synth` and `cdk deploy` would fail too.
  ({ stack } = synthTockStack({ bundle: true, validate: true }));
}, 120_000);

describe('synthesis like cdk synth', () => {
  it('should bundle every entry locally with esbuild as one ES module with the require banner', () => {
    for (const fn of Object.values(stack.functions)) {
      const asset = fn.function.node.findChild('Code') as Asset;
      const bundle = path.join(Stage.of(stack)!.outdir, asset.assetPath, 'index.mjs');
      expect(existsSync(bundle), bundle).toBe(true);
      const code = readFileSync(bundle, 'utf8');
      expect(code.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
      expect(code).toMatch(/export\s*\{[^}]*\bhandler\b[^}]*\}/);
    }
  });

  it('should bundle the X-Ray tracing module beside each function, and keep the X-Ray SDK out of index.mjs', () => {
    for (const fn of Object.values(stack.functions)) {
      const asset = fn.function.node.findChild('Code') as Asset;
      const dir = path.join(Stage.of(stack)!.outdir, asset.assetPath);
      const tracing = readFileSync(path.join(dir, TRACING_BUNDLE), 'utf8');
      // aws-xray-sdk-core names its context namespace AWSXRay; loading it switches on async hooks.
      expect(tracing.includes('AWSXRay'), `${fn.node.id} ${TRACING_BUNDLE}`).toBe(true);
      expect(readFileSync(path.join(dir, 'index.mjs'), 'utf8').includes('AWSXRay'), `${fn.node.id} index.mjs`).toBe(false);
    }
  });

  it('should leave the runtime\'s AWS SDK out of the bundles', () => {
    for (const fn of Object.values(stack.functions)) {
      const asset = fn.function.node.findChild('Code') as Asset;
      const code = readFileSync(path.join(Stage.of(stack)!.outdir, asset.assetPath, 'index.mjs'), 'utf8');
      // A bundled SDK carries its user-agent builder (["aws-sdk-js", version]); an external one is an import.
      expect(code.includes('"aws-sdk-js"'), `${fn.node.id} bundles the AWS SDK`).toBe(false);
    }
  });

  it('should load the SQS, S3 and KMS SDK packages on first use, except SQS in the scanner, which sends on every run', () => {
    for (const [name, fn] of Object.entries(stack.functions)) {
      const asset = fn.function.node.findChild('Code') as Asset;
      const code = readFileSync(path.join(Stage.of(stack)!.outdir, asset.assetPath, 'index.mjs'), 'utf8');
      const staticImports = new Set(code.match(/from\s*"@aws-sdk\/[a-z0-9-]+"/g)?.map((m) => m.replace(/^from\s*"|"$/g, '')) ?? []);
      expect(staticImports.has('@aws-sdk/client-dynamodb'), name).toBe(true);
      expect(staticImports.has('@aws-sdk/client-s3'), name).toBe(false);
      expect(staticImports.has('@aws-sdk/client-kms'), name).toBe(false);
      expect(staticImports.has('@aws-sdk/client-sqs'), name).toBe(false);
      expect(code.includes('import("@aws-sdk/client-sqs")'), name).toBe(true);
    }
  });
});
