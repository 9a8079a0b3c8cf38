import { Annotations, Match } from 'aws-cdk-lib/assertions';
import type { Template } from 'aws-cdk-lib/assertions';
import type { SynthesisMessage } from 'aws-cdk-lib/cx-api';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TockStack } from '../../infra/tockStack';
import { synthTockStack } from './tockStackFixture';
import type { SynthesizedTockStack } from './tockStackFixture';

/** Each suppression in infra/, by rule; anything else is a finding someone silenced without review. */
const REVIEWED_SUPPRESSIONS = new Set([
  'AwsSolutions-IAM5', // X-Ray needs Resource *; payload objects are <bucket>/*
  'AwsSolutions-L1', // nodejs22.x on purpose
  'AwsSolutions-COG2', // MFA optional
  'AwsSolutions-COG3', // only when the operator turns threat protection off
  'AwsSolutions-APIG4', // GET /health is public
  'AwsSolutions-S1', // the access-log buckets do not log themselves
  'AwsSolutions-CFR1', // the console has no geo restriction
  'AwsSolutions-CFR2', // no WAF in front of the console by default
  'AwsSolutions-CFR4', // the console's default *.cloudfront.net certificate
]);

function findings(stack: TockStack): { errors: string[]; warnings: string[] } {
  const pattern = Match.stringLikeRegexp('AwsSolutions-.*');
  const text = (list: SynthesisMessage[]): string[] => list.map((m) => `${m.id}: ${String(m.entry.data).slice(0, 160)}`);
  const annotations = Annotations.fromStack(stack);
  return { errors: text(annotations.findError('*', pattern)), warnings: text(annotations.findWarning('*', pattern)) };
}

function suppressions(template: Template): { id: string; reason: string }[] {
  return Object.values(template.toJSON().Resources as Record<string, { Metadata?: { cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } } }>)
    .flatMap((resource) => resource.Metadata?.cdk_nag?.rules_to_suppress ?? []);
}

const EVERYTHING_ON = {
  alarmEmail: 'ops@example.com', customDomainName: 'api.tock.example.com', userPoolThreatProtection: false,
  certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc', corsAllowedOrigins: ['https://console.example.com'],
};

let byDefault: SynthesizedTockStack;
let everythingOn: SynthesizedTockStack;

beforeAll(() => {
  byDefault = synthTockStack({ nag: true });
  everythingOn = synthTockStack({ nag: true, settings: EVERYTHING_ON });
}, 120_000);

describe('cdk-nag AwsSolutions', () => {
  it('should leave no unsuppressed error or warning in the default stack', () => {
    expect(findings(byDefault.stack)).toEqual({ errors: [], warnings: [] });
  });

  it('should leave none with every optional resource on and threat protection off', () => {
    expect(findings(everythingOn.stack)).toEqual({ errors: [], warnings: [] });
  });

  it('should give every suppression a reviewed rule and a concrete reason', () => {
    const all = suppressions(everythingOn.template);
    expect(all.map((s) => s.id)).toContain('AwsSolutions-COG3');
    for (const { id, reason } of all) {
      expect(REVIEWED_SUPPRESSIONS, id).toContain(id);
      expect(reason.length, `${id}: ${reason}`).toBeGreaterThanOrEqual(60);
    }
  });

  it('should not suppress Cognito threat protection while it is on', () => {
    expect(suppressions(byDefault.template).map((s) => s.id)).not.toContain('AwsSolutions-COG3');
  });
});
