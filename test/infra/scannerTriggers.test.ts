import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourceNamed, synthTockStack } from './tockStackFixture';

type Schedule = {
  Name: string; GroupName: string; ScheduleExpression: string; State: string; FlexibleTimeWindow: unknown;
  Target: { Arn: unknown; RoleArn: unknown; Input: string; RetryPolicy: unknown };
};

let template: Template;

beforeAll(() => {
  ({ template } = synthTockStack());
}, 120_000);

function schedules(from: Template): Schedule[] {
  return Object.values(from.findResources('AWS::Scheduler::Schedule')).map((r) => (r as { Properties: Schedule }).Properties);
}

describe('scanner schedules', () => {
  it('should create one schedule per shard, each naming its shard in the input', () => {
    const all = schedules(template);
    expect(all).toHaveLength(8);
    expect(all.map((s) => JSON.parse(s.Target.Input)).sort((a, b) => a.shard - b.shard))
      .toEqual(Array.from({ length: 8 }, (_, shard) => ({ shard })));
    expect(all.map((s) => s.Name).sort()).toEqual(Array.from({ length: 8 }, (_, n) => `scanner-shard-${n}`).sort());
  });

  it('should follow the shardCount setting', () => {
    const { template: three } = synthTockStack({ context: { shardCount: '3' } });
    expect(schedules(three).map((s) => JSON.parse(s.Target.Input).shard).sort()).toEqual([0, 1, 2]);
    const { props } = resourceNamed(three, 'AWS::Lambda::Function', 'ScannerFunction');
    expect(props).toMatchObject({ ReservedConcurrentExecutions: 6, Environment: { Variables: expect.objectContaining({ TOCK_SHARD_COUNT: '3' }) } });
  });

  it('should invoke the scanner every minute, exactly on time, with few short retries', () => {
    const { id: scanner } = resourceNamed(template, 'AWS::Lambda::Function', 'ScannerFunction');
    const { id: role } = resourceNamed(template, 'AWS::IAM::Role', 'ScannerTriggersInvokeRole');
    for (const schedule of schedules(template)) {
      expect(schedule).toMatchObject({
        ScheduleExpression: 'rate(1 minute)',
        State: 'ENABLED',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: { 'Fn::GetAtt': [scanner, 'Arn'] },
          RoleArn: { 'Fn::GetAtt': [role, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 },
        },
      });
    }
  });

  it('should keep the schedules in a group named after the stack', () => {
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'tock-test' });
    for (const schedule of schedules(template)) expect(schedule.GroupName).toBe('tock-test');
  });
});
