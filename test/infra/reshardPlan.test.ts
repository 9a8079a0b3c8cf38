import { describe, expect, it } from 'vitest';
import type { ExistingScannerSchedule } from '../../infra/ops/reshardPlan';
import { bridgeDescription, parseDrainUntil, parseScannerScheduleName, planReshard } from '../../infra/ops/reshardPlan';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const DAY = 86_400_000;

const stack = (...shards: number[]): ExistingScannerSchedule[] =>
  shards.map((shard) => ({ name: `scanner-shard-${shard}`, shard, owner: 'stack' }));
const bridge = (shard: number, drainUntil?: Date): ExistingScannerSchedule =>
  ({ name: `scanner-shard-${shard}-bridge`, shard, owner: 'bridge', drainUntil });
const summary = (steps: ReturnType<typeof planReshard>): string[] => steps.map((step) => `${step.kind} ${step.shard}`);

describe('planReshard', () => {
  it('should do nothing when the schedules already match the shard count', () => {
    expect(planReshard({ existing: stack(0, 1, 2, 3), shardCount: 4, now: NOW, drainDays: 30 })).toEqual([]);
  });

  it('should bridge new shards before the deploy raises the shard count', () => {
    const steps = planReshard({ existing: stack(0, 1, 2, 3), shardCount: 6, now: NOW, drainDays: 30 });
    expect(summary(steps)).toEqual(['create-bridge 4', 'create-bridge 5']);
    expect(steps[0]).toMatchObject({ name: 'scanner-shard-4-bridge' });
    expect((steps[0] as { drainUntil?: Date }).drainUntil).toBeUndefined();
  });

  it('should remove a growth bridge once the stack schedules its shard, and wait while it does not', () => {
    const existing = [...stack(0, 1, 2, 3, 4), bridge(4), bridge(5)];
    expect(summary(planReshard({ existing, shardCount: 6, now: NOW, drainDays: 30 }))).toEqual(['delete-bridge 4', 'keep 5']);
  });

  it('should bridge shards that go away with a drain deadline, and keep them while the stack still has them', () => {
    const before = planReshard({ existing: stack(0, 1, 2, 3), shardCount: 2, now: NOW, drainDays: 30 });
    expect(summary(before)).toEqual(['create-bridge 2', 'create-bridge 3']);
    expect(before[0]).toMatchObject({ drainUntil: new Date(NOW.getTime() + 30 * DAY) });

    const later = new Date(NOW.getTime() + 40 * DAY);
    const notDeployed = [...stack(0, 1, 2, 3), bridge(2, new Date(NOW.getTime() + 30 * DAY))];
    expect(summary(planReshard({ existing: notDeployed, shardCount: 2, now: later, drainDays: 30 }))).toEqual(['create-bridge 3', 'keep 2']);
  });

  it('should delete a drain bridge only after its deadline and only when no due entry remains', () => {
    const deadline = new Date(NOW.getTime() + 30 * DAY);
    const existing = [...stack(0, 1), bridge(2, deadline), bridge(3, deadline)];
    expect(summary(planReshard({ existing, shardCount: 2, now: NOW, drainDays: 30 }))).toEqual(['keep 2', 'keep 3']);
    const after = new Date(deadline.getTime() + 1);
    expect(summary(planReshard({ existing, shardCount: 2, now: after, drainDays: 30 }))).toEqual(['delete-bridge 2', 'delete-bridge 3']);
    expect(summary(planReshard({ existing, shardCount: 2, now: after, drainDays: 30, pendingShards: new Set([3]) })))
      .toEqual(['delete-bridge 2', 'keep 3']);
  });

  it('should give a bridge without a deadline one when its shard goes away', () => {
    const steps = planReshard({ existing: [...stack(0, 1), bridge(2)], shardCount: 2, now: NOW, drainDays: 7 });
    expect(steps).toEqual([expect.objectContaining({ kind: 'set-drain', shard: 2, drainUntil: new Date(NOW.getTime() + 7 * DAY) })]);
  });

  it('should order every creation before any deletion', () => {
    const existing = [...stack(0, 1, 2), bridge(1)];
    expect(summary(planReshard({ existing, shardCount: 4, now: NOW, drainDays: 30 }))).toEqual(['create-bridge 3', 'delete-bridge 1']);
  });
});

describe('schedule names and descriptions', () => {
  it('should tell stack schedules from bridges and ignore other schedules', () => {
    expect(parseScannerScheduleName('scanner-shard-12')).toEqual({ shard: 12, owner: 'stack' });
    expect(parseScannerScheduleName('scanner-shard-3-bridge')).toEqual({ shard: 3, owner: 'bridge' });
    expect(parseScannerScheduleName('scanner-shard-x')).toBeUndefined();
    expect(parseScannerScheduleName('nightly-report')).toBeUndefined();
  });

  it('should round-trip the drain deadline through the description', () => {
    const deadline = new Date('2027-01-01T00:00:00.000Z');
    expect(parseDrainUntil(bridgeDescription(5, NOW, deadline))).toEqual(deadline);
    expect(parseDrainUntil(bridgeDescription(5, NOW))).toBeUndefined();
  });
});
