import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourceNamed, synthTockStack } from './tockStackFixture';

let template: Template;

const FUNCTIONS = ['Api', 'Scanner', 'Executor', 'DeadLetters'] as const;

beforeAll(() => {
  ({ template } = synthTockStack());
}, 120_000);

function functionProps(name: typeof FUNCTIONS[number]): Record<string, unknown> {
  return resourceNamed(template, 'AWS::Lambda::Function', `${name}Function`).props;
}

function environmentOf(name: typeof FUNCTIONS[number]): Record<string, unknown> {
  return (functionProps(name).Environment as { Variables: Record<string, unknown> }).Variables;
}

describe('every function', () => {
  it('should run on arm64 with nodejs22.x, an ES module handler and active tracing', () => {
    // Besides Tock's four functions there is only the console's deploy-time upload function (BucketDeployment's).
    const all = Object.entries(template.findResources('AWS::Lambda::Function'));
    const functions = all.filter(([id]) => !id.startsWith('CustomCDKBucketDeployment'));
    expect(functions.map(([id]) => id.replace(/Function[0-9A-F]{8}$/, '')).sort()).toEqual([...FUNCTIONS].sort());
    expect(all).toHaveLength(5);
    for (const [, { Properties }] of functions as [string, { Properties: Record<string, unknown> }][]) {
      expect(Properties).toMatchObject({
        Architectures: ['arm64'], Runtime: 'nodejs22.x', Handler: 'index.handler', TracingConfig: { Mode: 'Active' },
      });
    }
  });

  it('should log as JSON to its own log group with the retention setting', () => {
    for (const name of FUNCTIONS) {
      const { id: logGroup, props: logs } = resourceNamed(template, 'AWS::Logs::LogGroup', `${name}Logs`);
      expect(logs.RetentionInDays).toBe(30);
      expect(functionProps(name).LoggingConfig).toEqual({
        LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'INFO', LogGroup: { Ref: logGroup },
      });
    }
  });

  it('should carry the Powertools variables and the shared configuration', () => {
    for (const name of FUNCTIONS) {
      expect(environmentOf(name)).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'tock-prod',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        POWERTOOLS_METRICS_NAMESPACE: 'Tock',
        TOCK_SHARD_COUNT: '8',
        TOCK_HISTORY_RETENTION_DAYS: '30',
        TOCK_MAX_ATTEMPT_TIMEOUT_SECONDS: '60',
        TOCK_ALLOWED_TARGET_CIDRS: '',
      });
    }
  });
});

describe('resource variables', () => {
  const shared = ['POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_SERVICE_NAME', 'TOCK_ALLOWED_TARGET_CIDRS',
    'TOCK_HISTORY_RETENTION_DAYS', 'TOCK_MAX_ATTEMPT_TIMEOUT_SECONDS', 'TOCK_SHARD_COUNT'];

  it.each([
    ['Api', ['TOCK_KMS_KEY_ID', 'TOCK_MAX_TASKS_PER_USER', 'TOCK_MIN_INTERVAL_SECONDS', 'TOCK_PAYLOAD_BUCKET', 'TOCK_QUEUE_URL', 'TOCK_TABLE_NAME',
      'TOCK_USER_BURST', 'TOCK_USER_RPS']],
    ['Scanner', ['TOCK_QUEUE_URL', 'TOCK_SCANNER_RUN_MS', 'TOCK_TABLE_NAME']],
    ['Executor', ['TOCK_KMS_KEY_ID', 'TOCK_PAYLOAD_BUCKET', 'TOCK_QUEUE_URL', 'TOCK_TABLE_NAME']],
    ['DeadLetters', ['TOCK_DLQ_URL', 'TOCK_TABLE_NAME']],
  ] as const)('should name to %s only the resources it is granted', (name, own) => {
    expect(Object.keys(environmentOf(name)).sort()).toEqual([...shared, ...own].sort());
  });

  it('should give the api the per-user limits and quotas', () => {
    expect(environmentOf('Api')).toMatchObject({
      TOCK_USER_RPS: '100', TOCK_USER_BURST: '200', TOCK_MAX_TASKS_PER_USER: '10000', TOCK_MIN_INTERVAL_SECONDS: '1',
    });
  });

  it('should let the scanner hand work over for 55 s of its 70 s timeout', () => {
    expect(environmentOf('Scanner').TOCK_SCANNER_RUN_MS).toBe('55000');
    expect(functionProps('Scanner').Timeout).toBe(70);
  });
});

describe('timeouts and concurrency', () => {
  it('should give the executor the longest attempt plus a 30 s margin', () => {
    expect(functionProps('Executor').Timeout).toBe(90);
  });

  it('should reserve concurrency for the scanner (2 x shards) and the executor', () => {
    expect(functionProps('Scanner').ReservedConcurrentExecutions).toBe(16);
    expect(functionProps('Executor').ReservedConcurrentExecutions).toBe(100);
  });

  it('should not retry a failed scanner invocation: the next minute takes over', () => {
    const { id } = resourceNamed(template, 'AWS::Lambda::Function', 'ScannerFunction');
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: id }, MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60,
    });
  });
});

describe('queue event sources', () => {
  it.each([
    ['Executor', 'QueuesWorkQueue', 100],
    ['DeadLetters', 'QueuesDeadLetterQueue', 2],
  ] as const)('should feed %s from its queue in batches of 10 with partial batch responses', (fn, queue, maxConcurrency) => {
    const { id: functionId } = resourceNamed(template, 'AWS::Lambda::Function', `${fn}Function`);
    const { id: queueId } = resourceNamed(template, 'AWS::SQS::Queue', queue);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId },
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: maxConcurrency },
    });
  });

  it('should report batch item failures on every event source mapping', () => {
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')) as { Properties: Record<string, unknown> }[];
    expect(mappings).toHaveLength(2);
    for (const { Properties } of mappings) expect(Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
  });
});
