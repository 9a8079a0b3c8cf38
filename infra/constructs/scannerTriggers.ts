import { Stack } from 'aws-cdk-lib';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnSchedule, CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { scannerScheduleName } from '../scannerScheduleNames';


export interface ScannerTriggersProps {
  /** The scanner function; each schedule invokes it with `{"shard": n}`. */
  readonly scanner: IFunction;
  /** One schedule per shard, 0 to shardCount - 1. */
  readonly shardCount: number;
  /** Name of the schedule group, the stack's name. */
  readonly groupName: string;
}

/**
 * One EventBridge Scheduler schedule per due-index shard, every minute, in a schedule group named
 * after the stack. Each invocation runs for about a minute and hands work over at its due second,
 * so the minute-level precision of Scheduler does not limit Tock's. Flexible time window is off,
 * retries are few and short-lived (the next minute's invocation takes over anyway), and the
 * role can invoke the scanner and nothing else, only on behalf of this group.
 */
export class ScannerTriggers extends Construct {
  public readonly group: CfnScheduleGroup;
  public readonly role: Role;
  public readonly schedules: readonly CfnSchedule[];

  constructor(scope: Construct, id: string, props: ScannerTriggersProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.group = new CfnScheduleGroup(this, 'Group', { name: props.groupName });

    this.role = new Role(this, 'InvokeRole', {
      description: 'EventBridge Scheduler: invoke the Tock scanner',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          // Confused-deputy protection: only schedules of this account's group may use the role.
          StringEquals: { 'aws:SourceAccount': stack.account, 'aws:SourceArn': this.group.attrArn },
        },
      }),
      inlinePolicies: {
        invokeScanner: new PolicyDocument({
          statements: [new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.scanner.functionArn] })],
        }),
      },
    });

    this.schedules = Array.from({ length: props.shardCount }, (_, shard) => {
      const schedule = new CfnSchedule(this, `Shard${shard}`, {
        name: scannerScheduleName(shard),
        groupName: props.groupName,
        description: `Tock scanner, shard ${shard} (managed by CloudFormation)`,
        scheduleExpression: 'rate(1 minute)',
        flexibleTimeWindow: { mode: 'OFF' },
        state: 'ENABLED',
        target: {
          arn: props.scanner.functionArn,
          roleArn: this.role.roleArn,
          input: JSON.stringify({ shard }),
          retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 60 },
        },
      });
      schedule.addResourceDependency(this.group);
      return schedule;
    });
  }
}
