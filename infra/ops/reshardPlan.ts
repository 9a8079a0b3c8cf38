import { SCANNER_SCHEDULE_PREFIX, scannerScheduleName } from '../scannerScheduleNames';

/**
 * Resharding, as a pure plan over the schedules that exist (no AWS calls here).
 *
 * The stack owns `scanner-shard-<n>` for n < shardCount. When the shard count changes, the
 * stack's set of schedules and the Lambdas' TOCK_SHARD_COUNT change in the same `cdk deploy`,
 * which is wrong in both directions:
 *
 *   growing 8 -> 16:   entries written for shards 8..15 right after the deploy would wait for
 *                      schedules that CloudFormation creates a little later;
 *   shrinking 16 -> 8: entries already written to shards 8..15 (one-shot tasks due later,
 *                      retries) stay there, and the deploy deletes the only schedules that scan them.
 *
 * So the ops command keeps "bridge" schedules (`scanner-shard-<n>-bridge`, not managed by
 * CloudFormation, so no name conflicts) around the deploy: before growing it bridges the new
 * shards, and removes each bridge once the stack's own schedule exists; before shrinking it
 * bridges the shards that go away, and removes those bridges only after a drain period (and,
 * when the table is given, only once no due entry is left in them). Two schedules on one shard
 * for a while are harmless: the scanner is idempotent and tolerates overlapping runs.
 */

export const BRIDGE_SUFFIX = '-bridge';

export type ScheduleOwner = 'stack' | 'bridge';

export interface ExistingScannerSchedule {
  readonly name: string;
  readonly shard: number;
  readonly owner: ScheduleOwner;
  /** Bridges of shards being removed: the earliest time they may be deleted. */
  readonly drainUntil?: Date;
}

export type ReshardStep =
  | { readonly kind: 'create-bridge'; readonly shard: number; readonly name: string; readonly drainUntil?: Date; readonly reason: string }
  | { readonly kind: 'set-drain'; readonly shard: number; readonly name: string; readonly drainUntil: Date; readonly reason: string }
  | { readonly kind: 'delete-bridge'; readonly shard: number; readonly name: string; readonly reason: string }
  | { readonly kind: 'keep'; readonly shard: number; readonly name: string; readonly reason: string };

export interface ReshardInput {
  readonly existing: readonly ExistingScannerSchedule[];
  /** The new shard count (what `-c shardCount=N` will deploy). */
  readonly shardCount: number;
  readonly now: Date;
  /** How long a removed shard keeps being scanned after its bridge is created. */
  readonly drainDays: number;
  /** Shards known to still hold due entries (from the table probe); their bridges stay. */
  readonly pendingShards?: ReadonlySet<number>;
}

export function bridgeName(shard: number): string {
  return `${scannerScheduleName(shard)}${BRIDGE_SUFFIX}`;
}

const NAME = new RegExp(`^${SCANNER_SCHEDULE_PREFIX}(\\d+)(${BRIDGE_SUFFIX})?$`);
const DRAIN_UNTIL = /drain until (\S+)/;

/** Shard and owner of a scanner schedule, or undefined for any other schedule in the group. */
export function parseScannerScheduleName(name: string): { shard: number; owner: ScheduleOwner } | undefined {
  const match = NAME.exec(name);
  return match ? { shard: Number(match[1]), owner: match[2] ? 'bridge' : 'stack' } : undefined;
}

/** A bridge's description; the drain deadline is kept in it so the command needs no state of its own. */
export function bridgeDescription(shard: number, now: Date, drainUntil?: Date): string {
  const created = `Tock scanner bridge for shard ${shard}, created by reshard at ${now.toISOString()}`;
  return drainUntil ? `${created}; drain until ${drainUntil.toISOString()}` : `${created}; until the stack schedules this shard`;
}

export function parseDrainUntil(description: string | undefined): Date | undefined {
  const match = DRAIN_UNTIL.exec(description ?? '');
  const date = match ? new Date(match[1]!) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

/** The steps that take the schedules to `shardCount` safely: creations first, deletions last. */
export function planReshard(input: ReshardInput): ReshardStep[] {
  const { shardCount, now } = input;
  const drainUntil = new Date(now.getTime() + input.drainDays * 86_400_000);
  const byShard = new Map<number, { stack?: ExistingScannerSchedule; bridge?: ExistingScannerSchedule }>();
  for (const schedule of input.existing) {
    const entry = byShard.get(schedule.shard) ?? {};
    entry[schedule.owner] = schedule;
    byShard.set(schedule.shard, entry);
  }
  const highest = Math.max(shardCount - 1, ...byShard.keys());
  const steps: ReshardStep[] = [];
  for (let shard = 0; shard <= highest; shard += 1) {
    const { stack, bridge } = byShard.get(shard) ?? {};
    const name = bridgeName(shard);
    if (shard < shardCount) {
      if (!stack && !bridge) {
        steps.push({ kind: 'create-bridge', shard, name, reason: 'new shard: scanned before the deploy raises TOCK_SHARD_COUNT' });
      } else if (stack && bridge) {
        steps.push({ kind: 'delete-bridge', shard, name, reason: 'the stack schedules this shard now' });
      } else if (bridge) {
        steps.push({ kind: 'keep', shard, name, reason: `waiting for cdk deploy -c shardCount=${shardCount}` });
      }
    } else if (stack && !bridge) {
      steps.push({ kind: 'create-bridge', shard, name, drainUntil, reason: 'shard goes away: keep scanning it while its entries drain' });
    } else if (bridge && !bridge.drainUntil) {
      steps.push({ kind: 'set-drain', shard, name, drainUntil, reason: 'shard goes away: bridge now drains' });
    } else if (bridge?.drainUntil) {
      if (stack) {
        steps.push({ kind: 'keep', shard, name, reason: `the stack still schedules this shard: run cdk deploy -c shardCount=${shardCount}` });
      } else if (bridge.drainUntil > now) {
        steps.push({ kind: 'keep', shard, name, reason: `draining until ${bridge.drainUntil.toISOString()}` });
      } else if (input.pendingShards?.has(shard)) {
        steps.push({ kind: 'keep', shard, name, reason: 'drain period over, but due entries remain in this shard' });
      } else {
        steps.push({ kind: 'delete-bridge', shard, name, reason: 'drained' });
      }
    }
  }
  const order = { 'create-bridge': 0, 'set-drain': 1, 'delete-bridge': 2, keep: 3 } as const;
  return steps.sort((a, b) => order[a.kind] - order[b.kind] || a.shard - b.shard);
}
