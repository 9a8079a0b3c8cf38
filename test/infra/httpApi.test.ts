import { Match } from 'aws-cdk-lib/assertions';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourceNamed, synthTockStack } from './tockStackFixture';

type Route = { RouteKey: string; AuthorizationType?: string; AuthorizerId?: unknown };

let template: Template;

beforeAll(() => {
  ({ template } = synthTockStack());
}, 120_000);

function routes(from: Template = template): Route[] {
  return Object.values(from.findResources('AWS::ApiGatewayV2::Route')).map((r) => (r as { Properties: Route }).Properties);
}

describe('routes', () => {
  it('should put the Cognito JWT authorizer on every /v1 route', () => {
    const { id: authorizer } = resourceNamed(template, 'AWS::ApiGatewayV2::Authorizer', 'HttpApiCognitoJwt');
    const v1 = routes().filter((route) => route.RouteKey.split(' ')[1]!.startsWith('/v1'));
    expect(v1.map((route) => route.RouteKey)).toEqual(['ANY /v1/{proxy+}']);
    for (const route of v1) expect(route).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizer } });
  });

  it('should require IAM (SigV4) on every /iam/v1 route', () => {
    const iam = routes().filter((route) => route.RouteKey.split(' ')[1]!.startsWith('/iam/'));
    expect(iam.map((route) => route.RouteKey)).toEqual(['ANY /iam/v1/{proxy+}']);
    for (const route of iam) expect(route.AuthorizationType).toBe('AWS_IAM');
  });

  it('should leave only GET /health unauthenticated', () => {
    const open = routes().filter((route) => (route.AuthorizationType ?? 'NONE') === 'NONE');
    expect(open.map((route) => route.RouteKey)).toEqual(['GET /health']);
  });

  it('should validate tokens issued by the user pool for its app clients (the API\'s and the console\'s)', () => {
    const { id: pool } = resourceNamed(template, 'AWS::Cognito::UserPool', 'HttpUsers');
    const { id: client } = resourceNamed(template, 'AWS::Cognito::UserPoolClient', 'HttpUsersApiClient');
    const { id: consoleClient } = resourceNamed(template, 'AWS::Cognito::UserPoolClient', 'HttpUsersConsoleClient');
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: client }, { Ref: consoleClient }],
        Issuer: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('cognito-idp'), { Ref: pool }])] },
      },
    });
  });
});

describe('stage', () => {
  it('should throttle the $default stage with the settings and write JSON access logs', () => {
    const { id: logGroup } = resourceNamed(template, 'AWS::Logs::LogGroup', 'HttpAccessLogs');
    const { props } = resourceNamed(template, 'AWS::ApiGatewayV2::Stage', 'HttpDefaultStage');
    expect(props).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 10_000, ThrottlingBurstLimit: 5_000 },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [logGroup, 'Arn'] } },
    });
    const format = JSON.parse((props.AccessLogSettings as { Format: string }).Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', routeKey: '$context.routeKey' });
  });

  it('should follow the throttling settings', () => {
    const { template: custom } = synthTockStack({ context: { apiThrottleRateLimit: '200', apiThrottleBurstLimit: '400' } });
    custom.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
    });
  });

  it('should map a custom domain only when one is configured, and allow CORS origins when given', () => {
    expect(template.findResources('AWS::ApiGatewayV2::DomainName')).toEqual({});
    const { template: custom } = synthTockStack({
      settings: {
        customDomainName: 'api.tock.example.com',
        certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
        corsAllowedOrigins: ['https://console.tock.example.com'],
      },
    });
    custom.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'api.tock.example.com',
      DomainNameConfigurations: [Match.objectLike({ CertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' })],
    });
    custom.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
    custom.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://console.tock.example.com'] }),
    });
  });
});

describe('user pool', () => {
  it('should refuse self sign-up and demand strong passwords, with threat protection enforced', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: { PasswordPolicy: Match.objectLike({
        MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true,
      }) },
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      DeletionProtection: 'ACTIVE',
    });
  });

  it('should let the CLI sign in with USER_PASSWORD_AUTH on a public client without OAuth', () => {
    const { props } = resourceNamed(template, 'AWS::Cognito::UserPoolClient', 'HttpUsersApiClient');
    expect(props.ExplicitAuthFlows).toEqual(expect.arrayContaining(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']));
    expect(props.GenerateSecret).toBe(false);
    expect(props.AllowedOAuthFlows).toBeUndefined();
  });
});
