import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildConsoleSync } from '../../console/build';
import { resourceNamed, synthTockStack } from './tockStackFixture';

/** CloudFront's managed policies, by id. */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

let template: Template;
let distributionId: string;
const consoleUrl = () => ({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, '/']] });

beforeAll(() => {
  ({ template } = synthTockStack());
  distributionId = resourceNamed(template, 'AWS::CloudFront::Distribution', 'ConsoleDistribution').id;
}, 120_000);

describe('console hosting', () => {
  it('should serve the files from a private bucket that only the distribution reads (origin access control)', () => {
    const { id: bucket, props } = resourceNamed(template, 'AWS::S3::Bucket', 'ConsoleFiles');
    expect(props.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    const { id: oac } = resourceNamed(template, 'AWS::CloudFront::OriginAccessControl', 'ConsoleDistribution');
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        Origins: Match.arrayWith([Match.objectLike({ OriginAccessControlId: { 'Fn::GetAtt': [oac, 'Id'] }, DomainName: { 'Fn::GetAtt': [bucket, 'RegionalDomainName'] } })]),
        Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
      }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucket },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Condition: { StringEquals: { 'AWS:SourceArn': Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([{ Ref: distributionId }])] }) } },
      })]) },
    });
  });

  it('should forward /v1/* to the HTTP API uncached, with the Authorization header and every other one but Host', () => {
    const { id: api } = resourceNamed(template, 'AWS::ApiGatewayV2::Api', 'HttpApi');
    const config = (resourceNamed(template, 'AWS::CloudFront::Distribution', 'ConsoleDistribution').props.DistributionConfig) as {
      CacheBehaviors: Array<Record<string, unknown>>; Origins: Array<Record<string, unknown>>;
    };
    const [v1] = config.CacheBehaviors;
    expect(config.CacheBehaviors).toHaveLength(1);
    expect(v1).toMatchObject({
      PathPattern: '/v1/*', CachePolicyId: CACHING_DISABLED, OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER, ViewerProtocolPolicy: 'https-only',
      AllowedMethods: expect.arrayContaining(['POST', 'PATCH', 'DELETE']),
    });
    const origin = config.Origins.find((o) => o.Id === v1!.TargetOriginId);
    expect(origin).toMatchObject({
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
      DomainName: { 'Fn::Join': ['', [{ Ref: api }, '.execute-api.eu-west-1.', { Ref: 'AWS::URLSuffix' }]] },
    });
  });

  it('should send a strict content security policy and HSTS with the files', () => {
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: { Override: true, ContentSecurityPolicy: Match.stringLikeRegexp("^default-src 'self'; script-src 'self';.*connect-src 'self' https://\\*\\.auth\\.eu-west-1\\.amazoncognito\\.com;.*frame-ancestors 'none'") },
          StrictTransportSecurity: Match.objectLike({ Override: true, AccessControlMaxAgeSec: 31_536_000 }),
          FrameOptions: { FrameOption: 'DENY', Override: true },
        }),
      }),
    });
  });

  it('should sign in through the Hosted UI: a code + PKCE client without secret whose callback is the distribution', () => {
    const { id: pool } = resourceNamed(template, 'AWS::Cognito::UserPool', 'HttpUsers');
    const { props } = resourceNamed(template, 'AWS::Cognito::UserPoolClient', 'HttpUsersConsoleClient');
    expect(props).toMatchObject({
      UserPoolId: { Ref: pool },
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email'],
      SupportedIdentityProviders: ['COGNITO'],
      CallbackURLs: [consoleUrl()],
      LogoutURLs: [consoleUrl()],
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'tock-test-123456789012', UserPoolId: { Ref: pool } });
  });

  it('should upload the built files with a config.json naming the Hosted UI and client, then invalidate the cache', () => {
    const { id: domain } = resourceNamed(template, 'AWS::Cognito::UserPoolDomain', 'ConsoleHostedUi');
    const { id: client } = resourceNamed(template, 'AWS::Cognito::UserPoolClient', 'HttpUsersConsoleClient');
    const { id: bucket } = resourceNamed(template, 'AWS::S3::Bucket', 'ConsoleFiles');
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: bucket },
      SourceObjectKeys: Match.arrayWith([Match.stringLikeRegexp('\\.zip$')]),
      SourceMarkers: [{}, Match.objectLike({ '<<marker:0xbaba:0>>': { Ref: domain }, '<<marker:0xbaba:1>>': { Ref: client } })],
      DistributionId: { Ref: distributionId },
      DistributionPaths: ['/*'],
      SystemMetadata: { 'cache-control': 'no-cache' },
      Prune: true,
    });
  });

  it('should print the console URL and the Hosted UI domain', () => {
    const outputs = template.toJSON().Outputs;
    expect(outputs.ConsoleUrl.Value).toEqual(consoleUrl());
    expect(outputs.HostedUiDomain.Value).toEqual({ 'Fn::Join': ['', ['https://', { Ref: resourceNamed(template, 'AWS::Cognito::UserPoolDomain', 'ConsoleHostedUi').id }, '.auth.eu-west-1.amazoncognito.com']] });
  });
});

describe('console build for the asset', () => {
  it('should build index.html, app.js and styles.css, and leave config.json to the deployment', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'tock-console-asset-'));
    try {
      buildConsoleSync({ outDir, config: null });
      expect(readFileSync(join(outDir, 'index.html'), 'utf8')).toContain('<script type="module" src="/app.js"></script>');
      expect(readFileSync(join(outDir, 'app.js'), 'utf8').length).toBeGreaterThan(10_000);
      expect(existsSync(join(outDir, 'styles.css'))).toBe(true);
      expect(existsSync(join(outDir, 'config.json'))).toBe(false);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
