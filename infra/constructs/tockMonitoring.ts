import { Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm, AlarmStatusWidget, ComparisonOperator, Dashboard, GraphWidget, MathExpression, Metric, TextWidget, TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from './tockFunction';

/**
 * The EMF metrics the handlers emit (Powertools Metrics, namespace `Tock`, no dimension but the
 * default `service`). The dashboard and alarms address them by exactly these names.
 */
export const TOCK_METRICS = {
  dueToEnqueueLag: 'DueToEnqueueLagMs',
  dueToStartLag: 'DueToStartLagMs',
  succeeded: 'ExecutionsSucceeded',
  failed: 'ExecutionsFailed',
  retried: 'ExecutionsRetried',
  dlqSettled: 'DlqSettled',
} as const;

/** p99 due-to-start lag that pages someone: five times the one-second goal. */
export const LAG_ALARM_THRESHOLD_MS = 5_000;

export interface TockMonitoringProps {
  /** The `service` dimension of the EMF metrics (POWERTOOLS_SERVICE_NAME). */
  readonly serviceName: string;
  readonly api: HttpApi;
  readonly functions: Readonly<Record<'api' | 'scanner' | 'executor' | 'dlq', IFunction>>;
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;
  /**
   * Where alarm notifications go; creates an encrypted SNS topic with this e-mail subscribed.
   * @default - no topic, alarms only show in CloudWatch
   */
  readonly alarmEmail?: string;
}

const MINUTE = Duration.minutes(1);

/** The dashboard and alarms of issue 5, and the optional alarm topic. */
export class TockMonitoring extends Construct {
  public readonly dashboard: Dashboard;
  public readonly alarms: readonly Alarm[];
  public readonly alarmTopic?: Topic;

  constructor(scope: Construct, id: string, props: TockMonitoringProps) {
    super(scope, id);
    const { api, functions, queue, deadLetterQueue } = props;
    const tock = (metricName: string, statistic: string, label?: string): Metric => new Metric({
      namespace: METRICS_NAMESPACE, metricName, statistic, label, period: MINUTE,
      dimensionsMap: { service: props.serviceName },
    });
    const perFunction = (make: (fn: IFunction) => IMetric): IMetric[] =>
      Object.entries(functions).map(([name, fn]) => withLabel(make(fn), name));

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: Stack.of(this).stackName });
    this.dashboard.addWidgets(new TextWidget({
      markdown: `# Tock (${props.serviceName})\nLag is from due time to the scanner's enqueue and to the executor's attempt start.`,
      width: 24, height: 2,
    }));
    this.dashboard.addWidgets(
      graph('API requests', [api.metricCount({ period: MINUTE, statistic: 'Sum' })]),
      graph('API 4xx / 5xx', [
        api.metricClientError({ period: MINUTE, statistic: 'Sum', label: '4xx' }),
        api.metricServerError({ period: MINUTE, statistic: 'Sum', label: '5xx' }),
      ]),
      graph('API latency (ms)', [
        api.metricLatency({ period: MINUTE, statistic: 'p50', label: 'p50' }),
        api.metricLatency({ period: MINUTE, statistic: 'p99', label: 'p99' }),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Scanner lag: due to enqueue (ms)', [
        tock(TOCK_METRICS.dueToEnqueueLag, 'p50', 'p50'), tock(TOCK_METRICS.dueToEnqueueLag, 'p99', 'p99'),
      ]),
      graph('Lag: due to attempt start (ms)', [
        tock(TOCK_METRICS.dueToStartLag, 'p50', 'p50'), tock(TOCK_METRICS.dueToStartLag, 'p99', 'p99'),
      ]),
      graph('Executions', [
        tock(TOCK_METRICS.succeeded, 'Sum', 'succeeded'), tock(TOCK_METRICS.failed, 'Sum', 'failed'),
        tock(TOCK_METRICS.retried, 'Sum', 'retried'), tock(TOCK_METRICS.dlqSettled, 'Sum', 'settled from DLQ'),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Work queue depth', [
        queue.metricApproximateNumberOfMessagesVisible({ period: MINUTE, statistic: 'Maximum', label: 'visible' }),
        queue.metricApproximateNumberOfMessagesNotVisible({ period: MINUTE, statistic: 'Maximum', label: 'in flight' }),
      ]),
      graph('Work queue: age of oldest message (s)', [
        queue.metricApproximateAgeOfOldestMessage({ period: MINUTE, statistic: 'Maximum' }),
      ]),
      graph('Dead-letter queue depth', [
        deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: MINUTE, statistic: 'Maximum', label: 'visible' }),
        deadLetterQueue.metricApproximateNumberOfMessagesNotVisible({ period: MINUTE, statistic: 'Maximum', label: 'in flight' }),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Lambda errors', perFunction((fn) => fn.metricErrors({ period: MINUTE, statistic: 'Sum' })), 6),
      graph('Lambda throttles', perFunction((fn) => fn.metricThrottles({ period: MINUTE, statistic: 'Sum' })), 6),
      graph('Lambda duration p99 (ms)', perFunction((fn) => fn.metricDuration({ period: MINUTE, statistic: 'p99' })), 6),
      graph('Lambda concurrency', perFunction((fn) => fn.metric('ConcurrentExecutions', { period: MINUTE, statistic: 'Maximum' })), 6),
    );

    const executorErrors = functions.executor.metricErrors({ period: MINUTE, statistic: 'Sum' });
    const executorInvocations = functions.executor.metricInvocations({ period: MINUTE, statistic: 'Sum' });
    this.alarms = [
      new Alarm(this, 'DeadLetterQueueNotEmpty', {
        alarmDescription: 'Messages reached the dead-letter queue: executor crashes or poison messages (docs/deploy.md, re-drive).',
        // Visible plus in flight: the DLQ handler picks messages up at once, so "visible" alone stays near 0.
        metric: deadLetterQueue.metricApproximateNumberOfMessagesOutstanding({ period: MINUTE, statistic: 'Maximum' }),
        threshold: 1, evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(this, 'OldestMessageTooOld', {
        alarmDescription: 'The work queue holds a message older than 60 s: executors are not keeping up.',
        metric: queue.metricApproximateAgeOfOldestMessage({ period: MINUTE, statistic: 'Maximum' }),
        threshold: 60, evaluationPeriods: 2, datapointsToAlarm: 2,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(this, 'ScannerErrors', {
        alarmDescription: 'Scanner invocations fail: due work of some shards is not handed over.',
        metric: functions.scanner.metricErrors({ period: MINUTE, statistic: 'Sum' }),
        threshold: 1, evaluationPeriods: 3, datapointsToAlarm: 2,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(this, 'ExecutorErrorRate', {
        alarmDescription: 'More than 5% of executor invocations fail as a whole (not per record) for 3 minutes.',
        metric: new MathExpression({
          expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
          usingMetrics: { errors: executorErrors, invocations: executorInvocations },
          period: MINUTE, label: 'executor error rate (%)',
        }),
        threshold: 5, evaluationPeriods: 3,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(this, 'StartLagP99', {
        alarmDescription: `p99 lag from due time to attempt start above ${LAG_ALARM_THRESHOLD_MS} ms for 3 minutes.`,
        metric: tock(TOCK_METRICS.dueToStartLag, 'p99'),
        threshold: LAG_ALARM_THRESHOLD_MS, evaluationPeriods: 3,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    ];
    this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: [...this.alarms], width: 24, height: 3 }));

    if (props.alarmEmail) {
      // CloudWatch cannot publish to a topic encrypted with the AWS managed SNS key, hence a key of our own.
      const key = new Key(this, 'AlarmTopicKey', { enableKeyRotation: true, description: 'Tock alarm topic' });
      key.addToResourcePolicy(new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }));
      this.alarmTopic = new Topic(this, 'AlarmTopic', { masterKey: key, enforceSSL: true });
      this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
      const action = new SnsAction(this.alarmTopic);
      for (const alarm of this.alarms) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }
  }
}

function graph(title: string, left: IMetric[], width = 8): GraphWidget {
  return new GraphWidget({ title, left, width, height: 6 });
}

function withLabel(metric: IMetric, label: string): IMetric {
  return metric instanceof Metric ? metric.with({ label }) : metric;
}
