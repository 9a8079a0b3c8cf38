import type { BenchResults } from './results';

interface Row {
  readonly section: string;
  readonly metric: string;
  readonly value: string;
  readonly goal: string;
  readonly met: boolean | null;
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const verdict = (met: boolean | null) => (met === null ? '' : met ? 'met' : 'MISSED');

/** The goals of issue 7, checked against one run. */
export function goalRows(r: BenchResults): Row[] {
  const rows: Row[] = [];
  const s = r.steady;
  rows.push({ section: `steady ${s.perSecond}/s x ${s.seconds}s`, metric: 'lag p50 / p99 / max (ms)', value: `${s.lagMs.p50} / ${s.lagMs.p99} / ${s.lagMs.max}`, goal: 'p99 <= 1000', met: s.lagMs.p99 <= 1000 });
  rows.push({ section: '', metric: 'machine load (1 min) at due / at end', value: `${s.loadAverage.atDue} / ${s.loadAverage.atEnd}`, goal: '', met: null });
  rows.push({ section: '', metric: 'delivered / duplicates / early', value: `${s.delivered}/${s.tasks} / ${s.duplicates} / ${s.early}`, goal: '0 duplicates', met: s.duplicates === 0 && s.early === 0 && s.delivered === s.tasks });
  for (const b of r.burst) {
    const goal = b.tasks === 1000 ? 'p99 <= 3000' : '';
    rows.push({ section: `burst ${b.tasks}`, metric: 'lag p50 / p99 / max (ms)', value: `${b.lagMs.p50} / ${b.lagMs.p99} / ${b.lagMs.max}`, goal, met: b.tasks === 1000 ? b.lagMs.p99 <= 3000 : null });
    rows.push({ section: '', metric: 'all delivered after (ms) / rate', value: `${b.allDeliveredMs} / ${fmt(b.executionsPerSec, 1)} per s`, goal: '', met: null });
    rows.push({ section: '', metric: 'machine load (1 min) at due / at end', value: `${b.loadAverage.atDue} / ${b.loadAverage.atEnd}`, goal: '', met: null });
    rows.push({ section: '', metric: 'delivered / duplicates / early', value: `${b.delivered}/${b.tasks} / ${b.duplicates} / ${b.early}`, goal: '0 duplicates', met: b.duplicates === 0 && b.early === 0 && b.delivered === b.tasks });
  }
  const a = r.api;
  rows.push({ section: `api (c=${a.concurrency})`, metric: 'create p50 / p99 (ms)', value: `${a.createMs.p50} / ${a.createMs.p99}`, goal: '', met: null });
  rows.push({ section: '', metric: 'get p50 / p99 (ms)', value: `${a.getMs.p50} / ${a.getMs.p99}`, goal: '', met: null });
  rows.push({ section: '', metric: 'throughput (req/s): all / create / get', value: `${fmt(a.throughputPerSec, 1)} / ${fmt(a.createPerSec, 1)} / ${fmt(a.getPerSec, 1)}`, goal: '', met: null });
  const l = r.limit;
  rows.push({ section: 'limit', metric: 'DynamoDB Local conditional puts/s', value: `${l.ddbLocalPutsPerSec} (samples ${l.putSamples.join(', ')})`, goal: '', met: null });
  rows.push({ section: '', metric: 'pipeline executions/s', value: fmt(l.pipelineExecutionsPerSec, 1), goal: '', met: null });
  rows.push({ section: '', metric: 'ratio (exec/s x writes/exec / puts/s)', value: fmt(l.ratio, 2), goal: '>= 0.5', met: l.ratio >= 0.5 });
  const c = r.cost;
  rows.push({ section: 'cost / execution', metric: 'DynamoDB write / read units', value: `${c.perExecution.ddbWriteUnits} / ${c.perExecution.ddbReadUnits}`, goal: 'WRU <= 4', met: c.perExecution.ddbWriteUnits <= 4 });
  rows.push({ section: '', metric: 'SQS requests / Lambda invocations', value: `${c.perExecution.sqsRequests} / ${c.perExecution.lambdaInvocations}`, goal: '', met: null });
  rows.push({ section: '', metric: '$ per million (variable + scanners)', value: `${fmt(c.usdPerMillion, 2)} (${fmt(c.usdPerMillionVariable, 2)} + ${fmt(c.breakdownUsdPerMillion.scannerFixed ?? 0, 2)})`, goal: '<= 2.00', met: c.usdPerMillion <= 2 });
  rows.push({
    section: '',
    metric: 'vs EventBridge Scheduler / Step Functions',
    value: `${fmt(c.alternatives.eventBridgeSchedulerHttp!.usdPerMillion, 2)} / ${fmt(c.alternatives.stepFunctionsStandard!.usdPerMillion, 2)}`,
    goal: `prices ${c.pricesAsOf}`,
    met: null,
  });
  for (const [fn, cs] of Object.entries(r.coldStart)) {
    rows.push({
      section: `cold start ${fn}`,
      metric: 'bundle KB / init ms (cpu; SDK alone) / traced',
      value: `${fmt(cs.bundleBytes / 1024, 1)} / ${cs.initMs} (${cs.initCpuMs}; ${cs.sdkOnlyMs}) / ${cs.initMsTracing}`,
      goal: '<= 250 KB, <= 150 ms',
      met: cs.bundleBytes <= 250 * 1024 && cs.initMs <= 150,
    });
  }
  return rows;
}

/** A plain-text table of the rows. */
export function table(r: BenchResults): string {
  const rows = goalRows(r);
  const header: Row = { section: 'scenario', metric: 'metric', value: 'value', goal: 'goal', met: null };
  const all = [header, ...rows];
  const width = (pick: (row: Row) => string) => Math.max(...all.map((row) => pick(row).length));
  const w = [width((x) => x.section), width((x) => x.metric), width((x) => x.value), width((x) => x.goal)];
  const line = (row: Row, status: string) =>
    `${row.section.padEnd(w[0]!)}  ${row.metric.padEnd(w[1]!)}  ${row.value.padEnd(w[2]!)}  ${row.goal.padEnd(w[3]!)}  ${status}`.trimEnd();
  return [line(header, 'status'), ...rows.map((row) => line(row, verdict(row.met)))].join('\n');
}
