import { Match } from 'aws-cdk-lib/assertions';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourceNamed, synthTockStack } from './tockStackFixture';

let template: Template;

beforeAll(() => {
  ({ template } = synthTockStack());
}, 120_000);

type MetricRow = [string, string, ...unknown[]];

/** The dashboard's metric rows (`[namespace, name, dimension, value, ..., options]`), tokens as "<token>". */
function dashboardMetrics(from: Template): MetricRow[] {
  const { props } = resourceNamed(from, 'AWS::CloudWatch::Dashboard', 'MonitoringDashboard');
  const [, parts] = (props.DashboardBody as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  const body = JSON.parse(parts.map((part) => (typeof part === 'string' ? part : '<token>')).join(''));
  return body.widgets.flatMap((widget: { properties: { metrics?: MetricRow[] } }) => widget.properties.metrics ?? []);
}

describe('dashboard', () => {
  it('should chart the API, lag, executions, queues and Lambda health', () => {
    const charted = new Set(dashboardMetrics(template).map(([namespace, name]) => `${namespace} ${name}`));
    for (const metric of ['AWS/ApiGateway Count', 'AWS/ApiGateway 4xx', 'AWS/ApiGateway 5xx', 'AWS/ApiGateway Latency',
      'Tock DueToEnqueueLagMs', 'Tock DueToStartLagMs', 'Tock ExecutionsSucceeded', 'Tock ExecutionsFailed',
      'Tock ExecutionsRetried', 'Tock DlqSettled', 'AWS/SQS ApproximateNumberOfMessagesVisible',
      'AWS/SQS ApproximateAgeOfOldestMessage', 'AWS/Lambda Errors', 'AWS/Lambda Throttles', 'AWS/Lambda Duration',
      'AWS/Lambda ConcurrentExecutions']) {
      expect(charted, metric).toContain(metric);
    }
  });

  it('should read lag p50 and p99 from the Tock namespace with the stage\'s service dimension', () => {
    for (const lag of ['DueToEnqueueLagMs', 'DueToStartLagMs']) {
      const rows = dashboardMetrics(template).filter(([namespace, name]) => namespace === 'Tock' && name === lag);
      expect(rows.map((row) => row.slice(2, 4))).toEqual([['service', 'tock-prod'], ['service', 'tock-prod']]);
      expect(rows.map((row) => (row[4] as { stat: string }).stat)).toEqual(['p50', 'p99']);
    }
  });

  it('should chart every function\'s errors, throttles, duration and concurrency', () => {
    for (const name of ['Errors', 'Throttles', 'Duration', 'ConcurrentExecutions']) {
      expect(dashboardMetrics(template).filter(([namespace, metric]) => namespace === 'AWS/Lambda' && metric === name)).toHaveLength(4);
    }
  });
});

describe('alarms', () => {
  it('should alarm when anything reaches the DLQ', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('dead-letter queue'),
      Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Metrics: Match.arrayWith([Match.objectLike({ MetricStat: Match.objectLike({
        Metric: Match.objectLike({ MetricName: 'ApproximateNumberOfMessagesNotVisible' }) }) })]),
    });
  });

  it('should alarm when the oldest work message is older than 60 s', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 60, ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('should alarm on scanner errors and on the executor error rate', () => {
    const { id: scanner } = resourceNamed(template, 'AWS::Lambda::Function', 'ScannerFunction');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: { Ref: scanner } }], Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 5, Metrics: Match.arrayWith([Match.objectLike({ Expression: 'IF(invocations > 0, 100 * errors / invocations, 0)' })]),
    });
  });

  it('should alarm when p99 due-to-start lag exceeds 5 s for three minutes', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Tock', MetricName: 'DueToStartLagMs', ExtendedStatistic: 'p99',
      Threshold: 5000, EvaluationPeriods: 3, Dimensions: [{ Name: 'service', Value: 'tock-prod' }],
    });
  });

  it('should create no topic without an alarm e-mail', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 5);
    template.resourceCountIs('AWS::SNS::Topic', 0);
  });

  it('should notify an encrypted topic when an alarm e-mail is set', () => {
    const { template: notified } = synthTockStack({ context: { alarmEmail: 'ops@example.com' } });
    const { id: topic } = resourceNamed(notified, 'AWS::SNS::Topic', 'MonitoringAlarmTopic');
    const { id: key } = resourceNamed(notified, 'AWS::KMS::Key', 'MonitoringAlarmTopicKey');
    notified.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] } });
    notified.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: topic } });
    for (const alarm of Object.values(notified.findResources('AWS::CloudWatch::Alarm'))) {
      expect((alarm as { Properties: { AlarmActions: unknown[] } }).Properties.AlarmActions).toEqual([{ Ref: topic }]);
    }
  });
});
