import { Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod, DomainName, HttpApi, HttpMethod, HttpNoneAuthorizer, HttpStage, LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AccountRecovery, FeaturePlan, Mfa, StandardThreatProtectionMode, UserPool,
} from 'aws-cdk-lib/aws-cognito';
import type { IUserPoolClient, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

export interface TockHttpApiProps {
  /** The api function behind every route. */
  readonly handler: IFunction;
  /** Stage-wide steady-state rate limit (requests per second). */
  readonly throttleRateLimit: number;
  /** Stage-wide burst limit. */
  readonly throttleBurstLimit: number;
  /** Retention of the access log group. */
  readonly accessLogRetention: RetentionDays;
  /** Deletion protection of the user pool; with it the pool and the logs outlive the stack. */
  readonly deletionProtection: boolean;
  /** Cognito threat protection, enforced (Plus feature plan). */
  readonly threatProtection: boolean;
  /**
   * Browser origins allowed by CORS.
   * @default [] - no CORS configuration
   */
  readonly corsAllowedOrigins?: readonly string[];
  /**
   * Custom domain name; needs `certificateArn`.
   * @default - the execute-api endpoint only
   */
  readonly customDomainName?: string;
  /**
   * ACM certificate for `customDomainName`, in the stack's region.
   * @default - none
   */
  readonly certificateArn?: string;
}

/** One access log line per request, as JSON, for Logs Insights. */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(JSON.stringify({
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  method: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  principal: '$context.authorizer.principalId',
  iamUser: '$context.identity.userArn',
}));

/**
 * The public HTTP API:
 * - `ANY /v1/{proxy+}`: Cognito JWT (ID or access token of the app client); the user id is `sub`.
 * - `ANY /iam/v1/{proxy+}`: SigV4 (IAM) for service callers; the user id is the caller's ARN.
 * - `GET /health`: no auth, readiness only.
 * Its `$default` stage is throttled and writes JSON access logs; a custom domain is optional.
 */
export class TockHttpApi extends Construct {
  public readonly api: HttpApi;
  public readonly stage: HttpStage;
  public readonly userPool: UserPool;
  public readonly userPoolClient: UserPoolClient;
  public readonly accessLogs: LogGroup;
  public readonly domainName?: DomainName;
  private readonly acceptedClients: IUserPoolClient[] = [];

  constructor(scope: Construct, id: string, props: TockHttpApiProps) {
    super(scope, id);
    const retain = props.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: props.threatProtection ? FeaturePlan.PLUS : FeaturePlan.LITE,
      standardThreatProtectionMode: props.threatProtection
        ? StandardThreatProtectionMode.FULL_FUNCTION : StandardThreatProtectionMode.NO_ENFORCEMENT,
      deletionProtection: props.deletionProtection,
      removalPolicy: retain,
    });
    NagSuppressions.addResourceSuppressions(this.userPool, [{
      id: 'AwsSolutions-COG2',
      reason: 'MFA is optional (TOTP): the API serves scripts and services that sign in with USER_PASSWORD_AUTH; ' +
        'IAM-authorized routes exist for unattended callers. Operators can require MFA per user.',
    }]);
    if (!props.threatProtection) {
      NagSuppressions.addResourceSuppressions(this.userPool, [{
        id: 'AwsSolutions-COG3',
        reason: 'The operator turned threat protection off (userPoolThreatProtection=false): it needs the Plus ' +
          'feature plan, billed per monthly active user (docs/deploy.md).',
      }]);
    }

    this.userPoolClient = this.userPool.addClient('ApiClient', {
      // USER_PASSWORD_AUTH lets the CLI walk-through in docs/deploy.md get a token; SRP for apps.
      authFlows: { userPassword: true, userSrp: true },
      generateSecret: false,
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
    this.acceptedClients.push(this.userPoolClient);

    const origins = props.corsAllowedOrigins ?? [];
    this.api = new HttpApi(this, 'Api', {
      description: 'Tock task scheduler API',
      createDefaultStage: false,
      corsPreflight: origins.length === 0 ? undefined : {
        allowOrigins: [...origins],
        allowMethods: [CorsHttpMethod.ANY],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match'],
        exposeHeaders: ['etag', 'location', 'retry-after'],
        maxAge: Duration.hours(1),
      },
    });

    const integration = new HttpLambdaIntegration('Handler', props.handler);
    // The user pool's JWT authorizer; its audience is read at synth time, so clients added later
    // (the web console's, through acceptTokensFrom) are accepted too.
    const jwt = new HttpJwtAuthorizer('CognitoJwt', `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`, {
      jwtAudience: Lazy.list({ produce: () => this.acceptedClients.map((client) => client.userPoolClientId) }),
    });
    this.api.addRoutes({ path: '/v1/{proxy+}', methods: [HttpMethod.ANY], integration, authorizer: jwt });
    this.api.addRoutes({ path: '/iam/v1/{proxy+}', methods: [HttpMethod.ANY], integration, authorizer: new HttpIamAuthorizer() });
    const [health] = this.api.addRoutes({ path: '/health', methods: [HttpMethod.GET], integration, authorizer: new HttpNoneAuthorizer() });
    NagSuppressions.addResourceSuppressions(health, [{
      id: 'AwsSolutions-APIG4',
      reason: 'GET /health is the unauthenticated readiness probe of the contract; it returns no user data.',
    }]);

    if (props.customDomainName && props.certificateArn) {
      this.domainName = new DomainName(this, 'Domain', {
        domainName: props.customDomainName,
        certificate: Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn),
      });
    }

    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.accessLogRetention, removalPolicy: retain });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttleRateLimit, burstLimit: props.throttleBurstLimit },
      accessLogSettings: { destination: new LogGroupLogDestination(this.accessLogs), format: ACCESS_LOG_FORMAT },
      domainMapping: this.domainName ? { domainName: this.domainName } : undefined,
    });
  }

  /** Lets the /v1 routes accept tokens issued to another app client of the user pool (the web console's). */
  acceptTokensFrom(client: IUserPoolClient): void {
    this.acceptedClients.push(client);
  }

  /** The execute-api ARN pattern a service caller's IAM policy must allow for the IAM routes. */
  get iamRoutesArn(): string {
    return this.api.arnForExecuteApi('*', '/iam/v1/*', '$default');
  }
}
