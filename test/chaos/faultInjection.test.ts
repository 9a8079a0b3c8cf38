import { describe, expect, it } from 'vitest';
import { runChaos } from './chaosRun';
import { DEFAULT_FAULT_RATES } from './faultInjector';
import { formatSummary } from './summary';
import { createTestResources, uniquePrefix } from '../support/localServices';

/**
 * The fault-injection suite at the size `npm test` can afford (about 150 occurrences); `npm run
 * chaos` runs it at full size. Every fault of issue 3 strikes the real scanner, executor, DLQ
 * handler and API commands; the invariants are checked on what is left in DynamoDB and on what
 * the targets received.
 */
describe('fault injection', () => {
  it('should run every occurrence once, never early, never after DELETE, whatever fails', async () => {
    // Prepare
    const resources = await createTestResources(uniquePrefix('chaos'), { visibilityTimeoutSeconds: 20, maxReceiveCount: 3 });

    // Act
    const report = await runChaos({
      endpoints: resources.endpoints,
      resources,
      shardCount: 2,
      size: { tenants: 3, oneShots: 115, cronTasks: 15, windowMs: 10_000, leadMs: 2_500 },
      // Each executor crash or kill costs its message the visibility timeout (20 s here), a lost
      // message the 30 s sweep band: fewer chains of them than at full size, to stay near a minute.
      rates: { ...DEFAULT_FAULT_RATES, executorCrash: 0.08, executorKill: 0.02, lost: 0.005 },
      // A generous bound: two chained executor deaths cost 2 x 20 s of visibility timeout plus a sweep.
      settleTimeoutMs: 90_000,
      graceMs: 1_500,
      ...(process.env.TOCK_CHAOS_LOG ? { log: (line: string) => console.log(line) } : {}),
      ...(process.env.TOCK_CHAOS_SEED ? { seed: Number(process.env.TOCK_CHAOS_SEED) } : {}),
    });
    if (process.env.TOCK_CHAOS_LOG) console.log(formatSummary(report));

    // Assess
    const summary = formatSummary(report);
    expect(report.invariants.violations, summary).toEqual([]);
    expect(report.timings.settled, summary).toBe(true);
    // 115 one-shots each make one execution; cron occurrences vary with the seed and with deletes.
    expect(report.invariants.executions, summary).toBeGreaterThanOrEqual(120);
    const struck = new Set(report.faults.map(([kind]) => kind));
    for (const kind of ['dynamodb-throttle', 'sqs-5xx', 'scanner-crash', 'executor-crash', 'delivery-duplicate', 'delivery-delay', 'scanner-overlap', 'scanner-clock-skew', 'task-deleted']) {
      expect(struck, `${kind} never struck\n${summary}`).toContain(kind);
    }
  }, 150_000);
});
