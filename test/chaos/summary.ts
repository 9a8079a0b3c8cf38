import type { ChaosReport } from './chaosRun';

function table(rows: ReadonlyArray<readonly [string, string | number]>): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n');
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The summary `npm run chaos` prints: occurrences, faults by kind, violations, redelivery rate. */
export function formatSummary(report: ChaosReport): string {
  const { invariants: inv, timings } = report;
  const rate = inv.delivered === 0 ? 0 : inv.redelivered / inv.delivered;
  const statuses = Object.entries(inv.byStatus)
    .sort()
    .map(([status, n]) => `${status} ${n}`)
    .join(', ');
  const lines = [
    `Tock fault injection: seed ${report.seed}, ${report.tasks} tasks for ${report.size.tenants} tenants`,
    '',
    'Occurrences',
    table([
      ['executions (one per occurrence)', `${inv.executions} (${inv.byKind.oneShot} one-shot, ${inv.byKind.cron} cron)`],
      ['of tasks never deleted/paused', `${inv.expectedOccurrences}, every one settled`],
      ['final status', statuses],
      ['unsettled, of deleted tasks', `${inv.unsettledOfDeletedTasks} (invisible once deleted; TTL removes them)`],
      ['requests the targets got', report.requests],
      ['start lag p50 / p99 / max', `${percentile(inv.startLagMs, 50)} / ${percentile(inv.startLagMs, 99)} / ${percentile(inv.startLagMs, 100)} ms`],
    ]),
    '',
    'Faults injected',
    table(report.faults.map(([kind, n]) => [kind, n])),
    '',
    `Crash points hit (${report.crashPoints.length})`,
    table(report.crashPoints.map(([point, n]) => [point, n])),
    '',
    'Executor invocations',
    table(Object.entries(report.invocations)),
    ...(Object.keys(report.deadLetters).length > 0 ? ['', 'Dead letters settled', table(Object.entries(report.deadLetters))] : []),
    '',
    'Result',
    table([
      ['violations', inv.violations.length],
      ['delivered executions', inv.delivered],
      ['redelivered (same webhook-id)', `${inv.redelivered} (${(rate * 100).toFixed(2)} %), after ${inv.unrecordedSuccesses} deliveries whose executor died before recording`],
      ['time: setup / due window / settle / total', `${(timings.setupMs / 1000).toFixed(1)} / ${(timings.dueWindowMs / 1000).toFixed(1)} / ${(timings.settleMs / 1000).toFixed(1)} / ${(timings.totalMs / 1000).toFixed(1)} s`],
    ]),
  ];
  if (inv.violations.length > 0) lines.push('', 'Violations', ...inv.violations.map((v) => `  - ${v}`));
  if (report.surfacedErrors.length > 0) {
    lines.push('', 'Invocations failed by an injected error once the SDK retries ran out (retried by SQS or the sweeper)', table(report.surfacedErrors));
  }
  return lines.join('\n');
}
