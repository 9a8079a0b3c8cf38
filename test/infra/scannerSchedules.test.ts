import {
  ConflictException, CreateScheduleCommand, DeleteScheduleCommand, GetScheduleCommand, ListSchedulesCommand,
  ResourceNotFoundException, SchedulerClient, UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import type { CreateScheduleCommandInput, GetScheduleCommandOutput } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main, reshard, setScannerState, updateFrom } from '../../infra/ops/scannerSchedules';

const GROUP = 'tock-prod';
const NOW = new Date('2026-12-01T10:00:00.000Z');
const DAY = 86_400_000;
const scheduler = mockClient(SchedulerClient);

/** A schedule group in memory, behind the mocked client. */
let schedules: Map<string, GetScheduleCommandOutput>;

function stackSchedule(shard: number, state: 'ENABLED' | 'DISABLED' = 'ENABLED'): GetScheduleCommandOutput {
  return {
    $metadata: {},
    Name: `scanner-shard-${shard}`,
    GroupName: GROUP,
    Arn: `arn:aws:scheduler:eu-west-1:123456789012:schedule/${GROUP}/scanner-shard-${shard}`,
    Description: `Tock scanner, shard ${shard} (managed by CloudFormation)`,
    ScheduleExpression: 'rate(1 minute)',
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    State: state,
    KmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/abc',
    ActionAfterCompletion: 'NONE',
    Target: {
      Arn: 'arn:aws:lambda:eu-west-1:123456789012:function:tock-prod-Scanner',
      RoleArn: 'arn:aws:iam::123456789012:role/tock-prod-InvokeRole',
      Input: JSON.stringify({ shard }),
      RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 },
    },
  };
}

function givenStackShards(count: number): void {
  for (let shard = 0; shard < count; shard += 1) schedules.set(`scanner-shard-${shard}`, stackSchedule(shard));
}

/** The names of the mutating calls, in order. */
function mutations(): string[] {
  return scheduler.calls().map((call) => call.args[0])
    .filter((command) => !(command instanceof GetScheduleCommand || command instanceof ListSchedulesCommand))
    .map((command) => `${command.constructor.name.replace('ScheduleCommand', '')} ${(command.input as { Name: string }).Name}`);
}

beforeEach(() => {
  schedules = new Map();
  scheduler.reset();
  scheduler.on(ListSchedulesCommand).callsFake((input) => ({
    Schedules: [...schedules.values()].filter((s) => s.Name!.startsWith(input.NamePrefix ?? ''))
      .map((s) => ({ Name: s.Name, GroupName: s.GroupName, State: s.State })),
  }));
  scheduler.on(GetScheduleCommand).callsFake((input) => {
    const found = schedules.get(input.Name);
    if (!found) throw new ResourceNotFoundException({ Message: 'not found', message: 'not found', $metadata: {} });
    return structuredClone(found);
  });
  scheduler.on(UpdateScheduleCommand).callsFake((input) => {
    schedules.set(input.Name, { ...input, $metadata: {} } as GetScheduleCommandOutput);
    return {};
  });
  scheduler.on(CreateScheduleCommand).callsFake((input: CreateScheduleCommandInput) => {
    if (schedules.has(input.Name!)) throw new ConflictException({ Message: 'exists', message: 'exists', $metadata: {} });
    schedules.set(input.Name!, { ...input, $metadata: {} } as GetScheduleCommandOutput);
    return {};
  });
  scheduler.on(DeleteScheduleCommand).callsFake((input) => {
    if (!schedules.delete(input.Name!)) throw new ResourceNotFoundException({ Message: 'not found', message: 'not found', $metadata: {} });
    return {};
  });
});

afterEach(() => scheduler.reset());

describe('pause and resume', () => {
  it('should disable every scanner schedule and keep everything else about it', async () => {
    givenStackShards(3);
    const before = structuredClone(schedules.get('scanner-shard-1')!);

    const changed = await setScannerState(new SchedulerClient({}), GROUP, 'DISABLED');

    expect(changed).toEqual(['scanner-shard-0', 'scanner-shard-1', 'scanner-shard-2']);
    const update = scheduler.commandCalls(UpdateScheduleCommand).find((c) => c.args[0].input.Name === 'scanner-shard-1')!;
    expect(update.args[0].input).toEqual({ ...updateFrom(before, {}), State: 'DISABLED' });
    expect(update.args[0].input).toMatchObject({
      Target: before.Target, FlexibleTimeWindow: { Mode: 'OFF' }, KmsKeyArn: before.KmsKeyArn,
      Description: before.Description, ScheduleExpressionTimezone: 'UTC', ActionAfterCompletion: 'NONE',
    });
  });

  it('should resume only the schedules that are paused', async () => {
    givenStackShards(2);
    schedules.set('scanner-shard-1', stackSchedule(1, 'DISABLED'));

    const changed = await setScannerState(new SchedulerClient({}), GROUP, 'ENABLED');

    expect(changed).toEqual(['scanner-shard-1']);
    expect(schedules.get('scanner-shard-1')!.State).toBe('ENABLED');
  });

  it('should leave schedules that are not the scanner\'s alone', async () => {
    givenStackShards(1);
    schedules.set('nightly-report', { ...stackSchedule(0), Name: 'nightly-report' });

    await setScannerState(new SchedulerClient({}), GROUP, 'DISABLED');

    expect(schedules.get('nightly-report')!.State).toBe('ENABLED');
  });
});

describe('reshard', () => {
  const client = (): SchedulerClient => new SchedulerClient({});

  it('should bridge new shards with the scanner target and their own input before the deploy', async () => {
    givenStackShards(8);

    await reshard(client(), { group: GROUP, shardCount: 10, drainDays: 30, now: NOW });

    expect(mutations()).toEqual(['Create scanner-shard-8-bridge', 'Create scanner-shard-9-bridge']);
    const created = schedules.get('scanner-shard-9-bridge')!;
    expect(created).toMatchObject({
      GroupName: GROUP, ScheduleExpression: 'rate(1 minute)', FlexibleTimeWindow: { Mode: 'OFF' }, State: 'ENABLED',
      Target: { ...stackSchedule(0).Target, Input: '{"shard":9}' },
    });
  });

  it('should retire growth bridges once the deploy created the stack\'s schedules', async () => {
    givenStackShards(8);
    await reshard(client(), { group: GROUP, shardCount: 10, drainDays: 30, now: NOW });
    givenStackShards(10); // cdk deploy -c shardCount=10
    scheduler.resetHistory();

    await reshard(client(), { group: GROUP, shardCount: 10, drainDays: 30, now: NOW });

    expect(mutations()).toEqual(['Delete scanner-shard-8-bridge', 'Delete scanner-shard-9-bridge']);
    expect([...schedules.keys()].sort()).toEqual(Array.from({ length: 10 }, (_, n) => `scanner-shard-${n}`).sort());
  });

  it('should keep scanning removed shards through the drain period, then remove their bridges', async () => {
    givenStackShards(4);
    await reshard(client(), { group: GROUP, shardCount: 2, drainDays: 30, now: NOW });
    expect(mutations()).toEqual(['Create scanner-shard-2-bridge', 'Create scanner-shard-3-bridge']);
    schedules.delete('scanner-shard-2'); // cdk deploy -c shardCount=2
    schedules.delete('scanner-shard-3');

    scheduler.resetHistory();
    await reshard(client(), { group: GROUP, shardCount: 2, drainDays: 30, now: new Date(NOW.getTime() + 29 * DAY) });
    expect(mutations()).toEqual([]);

    scheduler.resetHistory();
    await reshard(client(), { group: GROUP, shardCount: 2, drainDays: 30, now: new Date(NOW.getTime() + 31 * DAY) });
    expect(mutations()).toEqual(['Delete scanner-shard-2-bridge', 'Delete scanner-shard-3-bridge']);
  });

  it('should keep a drained shard\'s bridge while the table still holds due entries for it', async () => {
    givenStackShards(4);
    await reshard(client(), { group: GROUP, shardCount: 2, drainDays: 30, now: NOW });
    schedules.delete('scanner-shard-2');
    schedules.delete('scanner-shard-3');
    scheduler.resetHistory();
    const asked: number[][] = [];

    const steps = await reshard(client(), {
      group: GROUP, shardCount: 2, drainDays: 30, now: new Date(NOW.getTime() + 31 * DAY),
      pendingShards: async (shards) => { asked.push(shards); return new Set([3]); },
    });

    expect(asked).toEqual([[2, 3]]);
    expect(mutations()).toEqual(['Delete scanner-shard-2-bridge']);
    expect(steps.find((step) => step.shard === 3)).toMatchObject({ kind: 'keep' });
  });

  it('should change nothing on a dry run', async () => {
    givenStackShards(4);

    const steps = await reshard(client(), { group: GROUP, shardCount: 6, drainDays: 30, now: NOW, dryRun: true });

    expect(steps.map((step) => step.kind)).toEqual(['create-bridge', 'create-bridge']);
    expect(mutations()).toEqual([]);
  });

  it('should tolerate a bridge that another run created meanwhile', async () => {
    givenStackShards(2);
    scheduler.on(CreateScheduleCommand).rejects(new ConflictException({ Message: 'exists', message: 'exists', $metadata: {} }));

    await expect(reshard(client(), { group: GROUP, shardCount: 3, drainDays: 30, now: NOW })).resolves.toHaveLength(1);
  });
});

describe('command line', () => {
  it('should print usage and fail without a stack', async () => {
    const lines: string[] = [];
    expect(await main(['pause'], new SchedulerClient({}), (line) => lines.push(line))).toBe(2);
    expect(lines.join()).toContain('usage');
  });

  it('should pause the named stack\'s group and report what it changed', async () => {
    givenStackShards(2);
    const lines: string[] = [];

    expect(await main(['pause', '--stack', GROUP], new SchedulerClient({}), (line) => lines.push(line))).toBe(0);

    expect(lines).toEqual(['paused 2 schedule(s): scanner-shard-0, scanner-shard-1']);
    expect([...schedules.values()].map((s) => s.State)).toEqual(['DISABLED', 'DISABLED']);
  });

  it('should print the reshard plan of a dry run', async () => {
    givenStackShards(2);
    const lines: string[] = [];

    expect(await main(['reshard', '--stack', GROUP, '--shards', '3', '--dry-run'], new SchedulerClient({}), (l) => lines.push(l))).toBe(0);

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^create\s+scanner-shard-2-bridge\s+new shard/);
    expect(mutations()).toEqual([]);
  });
});
