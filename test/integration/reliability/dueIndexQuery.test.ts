import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DueEntry } from '../../../lambdas/app/ports';
import { reliabilityFixture } from './reliabilityFixture';
import type { ReliabilityFixture } from './reliabilityFixture';

/** The due index over long ranges: the sweep after a restart reads an hour of minute partitions. */
let fx: ReliabilityFixture;

beforeAll(async () => {
  fx = await reliabilityFixture('due-index-query');
});

afterAll(() => fx?.clients.destroy());

describe('due index queries', () => {
  it('should return every entry of a two-hour range once, oldest first', async () => {
    // Prepare: entries in 40 different minutes, written out of order
    const base = Date.UTC(2026, 10, 27, 10, 0, 0);
    const dues = Array.from({ length: 40 }, (_, i) => base + ((i * 37) % 40) * 180_000 + (i % 7) * 1_000);
    const entry = (dueAt: number, i: number): DueEntry => ({
      shard: 3,
      dueAt,
      userId: 'gil',
      taskId: `tsk_${String(i).padStart(26, '0')}`,
      executionId: `exe_${String(i).padStart(26, '0')}_${dueAt}`,
      scheduledFor: new Date(dueAt).toISOString(),
      attempt: 1,
      kind: 'occurrence',
      gen: 1,
    });
    await Promise.all(dues.map((dueAt, i) => fx.ports.dueIndex.put(entry(dueAt, i))));

    // Act
    const found = await fx.ports.dueIndex.query(3, base - 1, base + 2 * 3600_000);

    // Assess
    expect(found.map((e) => e.dueAt)).toEqual([...dues].sort((a, b) => a - b));
  });
});
