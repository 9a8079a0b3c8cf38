import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  ConflictException, CreateScheduleCommand, DeleteScheduleCommand, GetScheduleCommand, ResourceNotFoundException,
  SchedulerClient, UpdateScheduleCommand, paginateListSchedules,
} from '@aws-sdk/client-scheduler';
import type {
  CreateScheduleCommandInput, GetScheduleCommandOutput, ScheduleState, UpdateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SCANNER_SCHEDULE_PREFIX } from '../scannerScheduleNames';
import { shardsWithPendingDueEntries } from './dueIndexProbe';
import { bridgeDescription, parseDrainUntil, parseScannerScheduleName, planReshard } from './reshardPlan';
import type { ExistingScannerSchedule, ReshardStep } from './reshardPlan';

/*
 * Operator command for the scanner schedules (docs/deploy.md, "Operations"):
 *
 *   npx tsx infra/ops/scannerSchedules.ts list    --stack tock-prod
 *   npx tsx infra/ops/scannerSchedules.ts pause   --stack tock-prod
 *   npx tsx infra/ops/scannerSchedules.ts resume  --stack tock-prod
 *   npx tsx infra/ops/scannerSchedules.ts reshard --stack tock-prod --shards 16 [--drain-days 30] [--table <name>] [--dry-run]
 *
 * The schedule group is named after the stack. Credentials and region come from the usual AWS
 * SDK chain (AWS_PROFILE, AWS_REGION, ...).
 */

/** A scanner schedule as listed, with its state. */
export interface ScannerScheduleInfo extends ExistingScannerSchedule {
  readonly state: string;
}

/** Every scanner schedule of the group, the stack's and the bridges. */
export async function listScannerSchedules(client: SchedulerClient, group: string): Promise<ScannerScheduleInfo[]> {
  const schedules: ScannerScheduleInfo[] = [];
  for await (const page of paginateListSchedules({ client }, { GroupName: group, NamePrefix: SCANNER_SCHEDULE_PREFIX })) {
    for (const summary of page.Schedules ?? []) {
      const parsed = summary.Name ? parseScannerScheduleName(summary.Name) : undefined;
      if (!parsed || !summary.Name) continue;
      const drainUntil = parsed.owner === 'bridge'
        ? parseDrainUntil((await getSchedule(client, group, summary.Name)).Description) : undefined;
      schedules.push({ name: summary.Name, ...parsed, drainUntil, state: summary.State ?? 'UNKNOWN' });
    }
  }
  return schedules.sort((a, b) => a.shard - b.shard || a.owner.localeCompare(b.owner));
}

function getSchedule(client: SchedulerClient, group: string, name: string): Promise<GetScheduleCommandOutput> {
  return client.send(new GetScheduleCommand({ GroupName: group, Name: name }));
}

/**
 * UpdateSchedule replaces the whole schedule: every field left out is reset. So the update is
 * built from GetSchedule's answer, and only `changes` differ from it.
 */
export function updateFrom(current: GetScheduleCommandOutput, changes: Partial<UpdateScheduleCommandInput>): UpdateScheduleCommandInput {
  return {
    Name: current.Name,
    GroupName: current.GroupName,
    ScheduleExpression: current.ScheduleExpression,
    ScheduleExpressionTimezone: current.ScheduleExpressionTimezone,
    StartDate: current.StartDate,
    EndDate: current.EndDate,
    Description: current.Description,
    State: current.State,
    KmsKeyArn: current.KmsKeyArn,
    Target: current.Target,
    FlexibleTimeWindow: current.FlexibleTimeWindow,
    ActionAfterCompletion: current.ActionAfterCompletion,
    ...changes,
  };
}

/** Pauses (DISABLED) or resumes (ENABLED) every scanner schedule; returns the names it changed. */
export async function setScannerState(client: SchedulerClient, group: string, state: ScheduleState): Promise<string[]> {
  const changed: string[] = [];
  for (const schedule of await listScannerSchedules(client, group)) {
    const current = await getSchedule(client, group, schedule.name);
    if (current.State === state) continue;
    await client.send(new UpdateScheduleCommand(updateFrom(current, { State: state })));
    changed.push(schedule.name);
  }
  return changed;
}

export interface ReshardOptions {
  readonly group: string;
  readonly shardCount: number;
  readonly drainDays: number;
  readonly now?: Date;
  /** Checks drained shards for remaining due entries before their bridges go. */
  readonly pendingShards?: (shards: number[], now: Date) => Promise<ReadonlySet<number>>;
  /** Plan only. */
  readonly dryRun?: boolean;
}

/** Plans and applies one reshard pass (see ops/reshardPlan.ts); safe to run again at any time. */
export async function reshard(client: SchedulerClient, options: ReshardOptions): Promise<ReshardStep[]> {
  const now = options.now ?? new Date();
  const existing = await listScannerSchedules(client, options.group);
  const input = { existing, shardCount: options.shardCount, now, drainDays: options.drainDays };
  let steps = planReshard(input);
  const drained = steps.filter((step) => step.kind === 'delete-bridge' && step.shard >= options.shardCount).map((step) => step.shard);
  if (drained.length > 0 && options.pendingShards) {
    steps = planReshard({ ...input, pendingShards: await options.pendingShards(drained, now) });
  }
  if (options.dryRun) return steps;

  const template = existing.find((schedule) => schedule.owner === 'stack');
  for (const step of steps) {
    if (step.kind === 'create-bridge') {
      if (!template) throw new Error(`No stack-owned scanner schedule in group ${options.group} to copy the target from`);
      const source = await getSchedule(client, options.group, template.name);
      await createIfMissing(client, {
        Name: step.name,
        GroupName: options.group,
        Description: bridgeDescription(step.shard, now, step.drainUntil),
        ScheduleExpression: source.ScheduleExpression,
        ScheduleExpressionTimezone: source.ScheduleExpressionTimezone,
        FlexibleTimeWindow: source.FlexibleTimeWindow,
        // A paused stack gets paused bridges: resume turns them on with the rest.
        State: source.State,
        KmsKeyArn: source.KmsKeyArn,
        Target: { ...source.Target!, Input: JSON.stringify({ shard: step.shard }) },
      });
    } else if (step.kind === 'set-drain') {
      const current = await getSchedule(client, options.group, step.name);
      await client.send(new UpdateScheduleCommand(updateFrom(current, { Description: bridgeDescription(step.shard, now, step.drainUntil) })));
    } else if (step.kind === 'delete-bridge') {
      await deleteIfPresent(client, options.group, step.name);
    }
  }
  return steps;
}

async function createIfMissing(client: SchedulerClient, input: CreateScheduleCommandInput): Promise<void> {
  try {
    await client.send(new CreateScheduleCommand(input));
  } catch (error) {
    if (!(error instanceof ConflictException)) throw error;
  }
}

async function deleteIfPresent(client: SchedulerClient, group: string, name: string): Promise<void> {
  try {
    await client.send(new DeleteScheduleCommand({ GroupName: group, Name: name }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
}

function describeStep(step: ReshardStep): string {
  const verb = { 'create-bridge': 'create', 'set-drain': 'set drain', 'delete-bridge': 'delete', keep: 'keep' }[step.kind];
  return `${verb.padEnd(9)} ${step.name.padEnd(26)} ${step.reason}`;
}

const USAGE = 'usage: scannerSchedules.ts list|pause|resume|reshard --stack <name> [--shards N] [--drain-days D] [--table T] [--dry-run]';

/** The command line; returns the process exit code. */
export async function main(argv: readonly string[], client = new SchedulerClient({}), log = console.log): Promise<number> {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      stack: { type: 'string' },
      shards: { type: 'string' },
      'drain-days': { type: 'string', default: '30' },
      table: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const [command] = positionals;
  const group = values.stack;
  if (!group || !command) {
    log(USAGE);
    return 2;
  }
  if (command === 'list') {
    for (const s of await listScannerSchedules(client, group)) {
      log(`${s.name.padEnd(26)} shard ${String(s.shard).padEnd(4)} ${s.owner.padEnd(6)} ${s.state}${s.drainUntil ? ` drain until ${s.drainUntil.toISOString()}` : ''}`);
    }
    return 0;
  }
  if (command === 'pause' || command === 'resume') {
    const changed = await setScannerState(client, group, command === 'pause' ? 'DISABLED' : 'ENABLED');
    log(`${command}d ${changed.length} schedule(s)${changed.length ? `: ${changed.join(', ')}` : ''}`);
    return 0;
  }
  if (command === 'reshard') {
    const shardCount = Number(values.shards);
    const drainDays = Number(values['drain-days']);
    if (!Number.isInteger(shardCount) || shardCount < 1 || !Number.isFinite(drainDays) || drainDays < 0) {
      log(USAGE);
      return 2;
    }
    const table = values.table;
    const steps = await reshard(client, {
      group, shardCount, drainDays, dryRun: values['dry-run'],
      pendingShards: table ? (shards, now) => shardsWithPendingDueEntries(new DynamoDBClient({}), table, shards, now) : undefined,
    });
    for (const step of steps) log(describeStep(step));
    if (steps.length === 0) log(`nothing to do: the group schedules shards 0-${shardCount - 1} only`);
    return 0;
  }
  log(USAGE);
  return 2;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    return 1;
  });
}
