import { AssetHashType, DockerImage, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods, CachePolicy, Distribution, HeadersFrameOption, HeadersReferrerPolicy, HttpVersion, OriginProtocolPolicy,
  OriginRequestPolicy, OriginSslPolicy, PriceClass, ResponseHeadersPolicy, ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { OAuthScope, UserPoolClientIdentityProvider, UserPoolDomain } from 'aws-cdk-lib/aws-cognito';
import type { IUserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { buildConsoleSync, CONSOLE_DIR } from '../../console/build';
import type { ConsoleConfig } from '../../console/src/consoleConfig';

export interface ConsoleHostingProps {
  /** The HTTP API that `/v1/*` is forwarded to: the console calls its own origin, so no CORS is needed. */
  readonly api: IHttpApi;
  /** The user pool the console signs in to, through its Hosted UI (authorization code with PKCE). */
  readonly userPool: IUserPool;
  /**
   * Prefix of the Hosted UI domain (`<prefix>.auth.<region>.amazoncognito.com`), unique in the region.
   * @default `<stack name>-<account>`
   */
  readonly domainPrefix?: string;
  /** Retention of the logs: CloudFront's and the bucket's access logs (days), and the deployment function's. */
  readonly logRetentionDays: number;
}

/**
 * The web console on AWS: its files in a private bucket behind CloudFront (origin access control),
 * `/v1/*` forwarded to the HTTP API uncached, a Hosted UI domain and an OAuth app client whose
 * callback is the distribution, and a `config.json` written at deploy time with those settings.
 * The files are built by console/build.ts while the asset is staged.
 */
export class ConsoleHosting extends Construct {
  public readonly bucket: Bucket;
  public readonly logBucket: Bucket;
  public readonly distribution: Distribution;
  public readonly domain: UserPoolDomain;
  public readonly client: UserPoolClient;
  public readonly deployment: BucketDeployment;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // CloudFront's standard logs need ACLs on their bucket, so the console has a log bucket of its own.
    this.logBucket = new Bucket(this, 'Logs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      enforceSSL: true,
      // Logs outlive the stack, as the payload bucket's access logs do.
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(props.logRetentionDays) }],
    });
    NagSuppressions.addResourceSuppressions(this.logBucket, [{
      id: 'AwsSolutions-S1',
      reason: 'This bucket receives the console distribution\'s and bucket\'s access logs; logging it would log its own log deliveries.',
    }]);

    this.bucket = new Bucket(this, 'Files', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'bucket/',
      // Built files only: every deploy uploads them again, and the deployment empties it on delete.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const apiDomain = `${props.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Tock web console (${stack.stackName})`,
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.securityHeaders(),
      },
      additionalBehaviors: {
        // The API behind the same origin; with caching off, the Authorization header reaches it.
        '/v1/*': {
          origin: new HttpOrigin(apiDomain, { protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY, originSslProtocols: [OriginSslPolicy.TLS_V1_2] }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        },
      },
    });
    NagSuppressions.addResourceSuppressions(this.distribution, [
      { id: 'AwsSolutions-CFR1', reason: 'The console serves its users wherever they are; an operator who needs geo restrictions adds them to the distribution.' },
      { id: 'AwsSolutions-CFR2', reason: 'Static files and an API that authenticates every /v1 request (JWT) and is throttled per stage and per user; a web ACL is the operator\'s choice and cost.' },
      { id: 'AwsSolutions-CFR4', reason: 'The distribution uses its default *.cloudfront.net certificate, whose minimum protocol version cannot be set; viewers are redirected to HTTPS.' },
    ]);

    const consoleUrl = this.url;
    this.domain = new UserPoolDomain(this, 'HostedUi', {
      userPool: props.userPool,
      cognitoDomain: { domainPrefix: props.domainPrefix ?? Fn.join('-', [stack.stackName.toLowerCase(), stack.account]) },
    });
    this.client = props.userPool.addClient('ConsoleClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL],
        callbackUrls: [consoleUrl],
        logoutUrls: [consoleUrl],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      // The console keeps no refresh token: it signs in again when the hour is up.
      refreshTokenValidity: Duration.hours(1),
    });

    const files = consoleFilesAsset(this);
    const config: ConsoleConfig = { auth: 'cognito', cognitoDomain: this.domain.baseUrl(), clientId: this.client.userPoolClientId };
    this.deployment = new BucketDeployment(this, 'Deploy', {
      sources: [Source.bucket(files.bucket, files.s3ObjectKey), Source.jsonData('config.json', config)],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      retainOnDelete: false,
      // Small files: revalidating each time (ETag) costs little and a deploy shows at once.
      cacheControl: [CacheControl.noCache()],
      ...this.deploymentRole(props.logRetentionDays as RetentionDays, files.bucket),
      memoryLimit: 256,
    });
    this.suppressUploaderRuntime();
  }

  /** `https://<distribution>/`, the Hosted UI's callback and sign-out URL. */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}/`;
  }

  private securityHeaders(): ResponseHeadersPolicy {
    const cognito = `https://*.auth.${Stack.of(this).region}.amazoncognito.com`;
    return new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Tock console: CSP, HSTS and friends',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          override: true,
          contentSecurityPolicy: `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ${cognito}; ` +
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
        },
        strictTransportSecurity: { override: true, accessControlMaxAge: Duration.days(365), includeSubdomains: true },
        contentTypeOptions: { override: true },
        frameOptions: { override: true, frameOption: HeadersFrameOption.DENY },
        referrerPolicy: { override: true, referrerPolicy: HeadersReferrerPolicy.SAME_ORIGIN },
      },
    });
  }

  /**
   * The upload function's role, with exactly what `aws s3 sync` and the invalidation need. It is
   * handed over immutable, so BucketDeployment's own broader grants (s3:GetObject*, s3:List*,
   * cloudfront:* on *) are not added.
   */
  private deploymentRole(retention: RetentionDays, assetBucket: IBucket): { role: IRole; logGroup: LogGroup } {
    const logGroup = new LogGroup(this, 'DeployLogs', { retention, removalPolicy: RemovalPolicy.DESTROY });
    const role = new Role(this, 'DeployRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Tock console: uploads the built files and invalidates the distribution',
    });
    role.addToPolicy(new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    // The staged files and config.json, in the CDK asset bucket.
    role.addToPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [assetBucket.arnForObjects('*')] }));
    role.addToPolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
    role.addToPolicy(new PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: [this.bucket.arnForObjects('*')] }));
    role.addToPolicy(new PolicyStatement({ actions: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'], resources: [this.distribution.distributionArn] }));
    const assetBucketId = assetBucket.node.defaultChild ? Stack.of(this).getLogicalId(assetBucket.node.defaultChild as CfnBucket) : undefined;
    NagSuppressions.addResourceSuppressions(role, [{
      id: 'AwsSolutions-IAM5',
      reason: 'The upload function reads the staged console files from the CDK asset bucket and syncs them into the console ' +
        'bucket: object actions on those two buckets\' objects (<bucket>/*), whose keys are content hashes and file names.',
      appliesTo: [
        `Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/*`,
        ...(assetBucketId ? [`Resource::<${assetBucketId}.Arn>/*`] : []),
        { regex: '/^Resource::arn:[^:]+:s3:::cdk-[a-z0-9]+-assets-.*\\/\\*$/' },
      ],
    }], true);
    return { role: role.withoutPolicyUpdates(), logGroup };
  }

  /** BucketDeployment's upload function runs on Python; cdk-nag's runtime rule is answered here. */
  private suppressUploaderRuntime(): void {
    const stack = Stack.of(this);
    const uploader = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (uploader) {
      NagSuppressions.addResourceSuppressions(uploader, [{
        id: 'AwsSolutions-L1',
        reason: 'The upload function of aws-cdk-lib\'s BucketDeployment runs on the Python runtime that aws-cdk-lib pins for its ' +
          'bundled AWS CLI layer; it runs only during deployments and moves with aws-cdk-lib upgrades.',
      }], true);
    }
  }
}

/** The built console (console/build.ts), made while the asset is staged; config.json is added at deploy. */
function consoleFilesAsset(scope: Construct): Asset {
  return new Asset(scope, 'BuiltFiles', {
    path: CONSOLE_DIR,
    exclude: ['dist'],
    // The bundle also holds client/ and the schedule engine: hash what was built, not console/ alone.
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never used: local bundling always succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-alpine'),
      local: {
        tryBundle(outputDir: string): boolean {
          buildConsoleSync({ outDir: outputDir, config: null });
          return true;
        },
      },
    },
  });
}
