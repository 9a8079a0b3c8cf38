import { RemovalPolicy } from 'aws-cdk-lib';
import { NagSuppressions } from 'cdk-nag';
import type { Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel, Architecture, LoggingFormat, Runtime, SystemLogLevel, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ESBUILD_OPTIONS, PROJECT_ROOT, RUNTIME_PROVIDED_MODULES, entryPath, tracingBundleCommand } from '../lambdaBundling';
import type { LambdaName } from '../lambdaBundling';
import type { TockLogLevel } from '../settings';

/** The runtime every Tock function uses. */
export const TOCK_RUNTIME = Runtime.NODEJS_22_X;

/** Powertools metrics of every function land in this namespace (the dashboard reads them there). */
export const METRICS_NAMESPACE = 'Tock';

export interface TockFunctionProps {
  /** Which of the four entry points (infra/lambdaBundling.ts) this function runs. */
  readonly entry: LambdaName;
  /** What the function does, shown in the console. */
  readonly description: string;
  /** Function timeout. */
  readonly timeout: Duration;
  /**
   * Memory in MB; on arm64 CPU grows with it.
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Reserved concurrency.
   * @default - none, the function shares the account's unreserved pool
   */
  readonly reservedConcurrency?: number;
  /** `POWERTOOLS_SERVICE_NAME`: the `service` dimension of every metric it emits. */
  readonly serviceName: string;
  /** `POWERTOOLS_LOG_LEVEL` and Lambda's application log level. */
  readonly logLevel: TockLogLevel;
  /** Retention of the function's own log group. */
  readonly logRetention: RetentionDays;
  /** Whether the log group outlives the stack. */
  readonly retainLogs: boolean;
  /**
   * Configuration shared by all functions (lambdas/config.ts); resource names are added by the
   * bindings (constructs/bindings.ts) together with their grants.
   * @default {}
   */
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * A Tock Lambda with the secure defaults in one place: esbuild bundle (ESM, minified, no Docker),
 * arm64, Node.js 22, X-Ray active tracing, its own log group with retention, JSON logs, the
 * Powertools environment, and its own role that can only write its logs until a binding grants more.
 */
export class TockFunction extends Construct {
  public readonly function: NodejsFunction;
  public readonly logGroup: LogGroup;
  public readonly role: Role;

  constructor(scope: Construct, id: string, props: TockFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // An explicit role instead of the default one, which would carry the AWS managed
    // AWSLambdaBasicExecutionRole (logs on every log group of the account).
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Tock ${props.entry} function`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: entryPath(props.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}/package-lock.json`,
      description: props.description,
      runtime: TOCK_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      reservedConcurrentExecutions: props.reservedConcurrency,
      role: this.role,
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel[props.logLevel],
      systemLogLevelV2: SystemLogLevel.INFO,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        target: ESBUILD_OPTIONS.target,
        format: OutputFormat.ESM,
        minify: ESBUILD_OPTIONS.minify,
        keepNames: ESBUILD_OPTIONS.keepNames,
        sourceMap: ESBUILD_OPTIONS.sourcemap,
        mainFields: [...ESBUILD_OPTIONS.mainFields],
        banner: ESBUILD_OPTIONS.banner,
        externalModules: [...RUNTIME_PROVIDED_MODULES],
        // The X-Ray tracing module beside index.mjs, loaded only when tracing is on (lambdaBundling.ts).
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir: string, outputDir: string) => [tracingBundleCommand(outputDir)],
        },
      },
    });

    NagSuppressions.addResourceSuppressions(this.role, [{
      id: 'AwsSolutions-IAM5',
      reason: 'Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords, which support no ' +
        'resource-level permissions (Resource must be *); no data-plane action is granted on *.',
      appliesTo: ['Resource::*'],
    }], true);
    NagSuppressions.addResourceSuppressions(this.function, [{
      id: 'AwsSolutions-L1',
      reason: 'Tock targets nodejs22.x on purpose: it is the runtime the code, its pinned dependencies ' +
        '(Powertools 2, middy 6) and the test suite are validated on; moving to nodejs24.x is a separate, tested change.',
    }]);
  }
}
