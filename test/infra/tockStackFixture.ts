import { readFileSync } from 'node:fs';
import { App, Aspects } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { TockSettings } from '../../infra/settings';
import { TockStack } from '../../infra/tockStack';

/** cdk.json's context: the settings' defaults and the feature flags `cdk synth` uses. */
export const CDK_JSON_CONTEXT: Readonly<Record<string, unknown>> =
  JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;

export interface SynthOptions {
  /** Settings given as props, over cdk.json's context. */
  readonly settings?: Partial<TockSettings>;
  /** Extra context, as `-c key=value` would give it (strings). */
  readonly context?: Readonly<Record<string, string>>;
  /**
   * Run esbuild for the four functions. Off by default: the template does not depend on the
   * bundles, and only the function tests need them.
   */
  readonly bundle?: boolean;
  /** Apply the AWS Solutions cdk-nag pack, as infra/app.ts does. */
  readonly nag?: boolean;
  /**
   * Run aws-cdk-lib's built-in CloudFormation template validation, as `cdk synth` does. Off by
   * default: it costs seconds per test file, and one suite running it is enough.
   */
  readonly validate?: boolean;
}

export interface SynthesizedTockStack {
  readonly stack: TockStack;
  readonly template: Template;
}

/** Synthesizes the stack exactly as `cdk synth` does (same context and feature flags). */
export function synthTockStack(options: SynthOptions = {}): SynthesizedTockStack {
  const app = new App({
    builtinCloudFormationValidation: options.validate ?? false,
    context: {
      ...CDK_JSON_CONTEXT,
      ...options.context,
      // An empty list makes NodejsFunction skip bundling (as `cdk synth --exclusively` does for other stacks).
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
  });
  const stack = new TockStack(app, 'tock-test', {
    settings: options.settings,
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  if (options.nag) Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { stack, template: Template.fromStack(stack) };
}

/** The resource of `type` whose logical id starts with `prefix` (construct ids give stable prefixes). */
export function resourceNamed(template: Template, type: string, prefix: string): { id: string; props: Record<string, unknown> } {
  const matches = Object.entries(template.findResources(type)).filter(([id]) => id.startsWith(prefix));
  if (matches.length !== 1) throw new Error(`expected one ${type} named ${prefix}*, found ${matches.map(([id]) => id).join(', ') || 'none'}`);
  const [id, resource] = matches[0]!;
  return { id, props: (resource as { Properties: Record<string, unknown> }).Properties };
}
