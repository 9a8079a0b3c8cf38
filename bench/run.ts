import './support/quietHandlers';
/**
 * `npm run bench [-- --quick]`: the speed and cost figures of issue 7 on the real local stack.
 * Prints a table and writes bench/results/latest.json plus a dated copy beside it.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack } from '../test/support/stack';
import type { RunningStack } from '../test/support/stack';
import { startWebhookReceiver } from '../test/support/webhookReceiver';
import type { WebhookReceiver } from '../test/support/webhookReceiver';
import { createAll, createAndRead } from './scenarios/api';
import { measureColdStarts } from './scenarios/coldStart';
import { ConditionalPutProbe } from './scenarios/conditionalPutLimit';
import { awaitDeliveries } from './scenarios/delivery';
import { costOf } from './cost/costModel';
import { runExecutionCost } from './cost/executionCostRun';
import { table } from './report';
import type { BenchResults } from './results';
import { median, round } from './support/stats';
import { ceilToSecond, TaskClient } from './support/taskClient';

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

interface BenchConfig {
  readonly mode: 'quick' | 'full';
  /** Tasks are spread over this many users, so that no user's request limit shapes the figures. */
  readonly users: number;
  readonly steadyPerSecond: number;
  readonly steadySeconds: number;
  readonly bursts: readonly number[];
  readonly limitSeconds: number;
  /** Tasks the api scenario creates and reads. */
  readonly apiTasks: number;
  readonly costExecutions: number;
  readonly costSliceMs: number;
  readonly coldStartSamples: number;
  readonly coldStartTracedSamples: number;
}

const QUICK: BenchConfig = {
  mode: 'quick', users: 32, steadyPerSecond: 20, steadySeconds: 15, bursts: [1_000], limitSeconds: 3, apiTasks: 256, costExecutions: 200, costSliceMs: 12_000, coldStartSamples: 10, coldStartTracedSamples: 3,
};
const FULL: BenchConfig = {
  mode: 'full', users: 32, steadyPerSecond: 20, steadySeconds: 120, bursts: [1_000, 5_000], limitSeconds: 5, apiTasks: 1_000, costExecutions: 1_000, costSliceMs: 20_000, coldStartSamples: 10, coldStartTracedSamples: 10,
};

/** The target's answer time for every delivery (the cost model's "the target answers in 50 ms"). */
const TARGET_DELAY_MS = 50;

const startedAt = Date.now();

function log(message: string): void {
  console.error(`[bench +${((Date.now() - startedAt) / 1000).toFixed(0)}s] ${message}`);
}

/** The 1-minute load average: what else the two cores had to do while a scenario ran. */
function loadAverage(): number {
  return round(os.loadavg()[0]!, 2);
}

async function sleepUntil(epochMs: number): Promise<void> {
  const wait = epochMs - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

/** The busiest processes that are not this benchmark's, for the record. */
function busiestOtherProcesses(stackPid: number | undefined): string[] {
  try {
    const out = execSync('ps -eo pid,ppid,pcpu,args --sort=-pcpu --no-headers', { encoding: 'utf8' });
    return out
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((f) => f.length >= 4 && Number(f[0]) !== process.pid && Number(f[1]) !== process.pid && Number(f[0]) !== stackPid && Number(f[1]) !== stackPid)
      .slice(0, 5)
      .map((f) => `${f[2]}% ${f.slice(3).join(' ').slice(0, 80)}`);
  } catch {
    return [];
  }
}

/** The steady scenario's due seconds: `steadyPerSecond` tasks every second for `steadySeconds` from `firstDue`. */
function steadyDueTimes(config: BenchConfig, firstDue: number): number[] {
  const dueTimes: number[] = [];
  for (let s = 0; s < config.steadySeconds; s++) for (let i = 0; i < config.steadyPerSecond; i++) dueTimes.push(firstDue + s * 1000);
  return dueTimes;
}

/**
 * A burst of `tasks` due in one second, created well ahead at 32 in flight. The first burst shares
 * its wait with the steady scenario: the steady tasks are created first, then the burst's, both
 * before the steady window opens, and the burst falls due after the window closed.
 */
async function runBurst(client: TaskClient, receiver: WebhookReceiver, config: BenchConfig, tasks: number, createRate: number, withSteady: boolean, probe: ConditionalPutProbe, putSamples: number[]) {
  const path = `/burst-${tasks}`;
  receiver.respond(path, [{ delayMs: TARGET_DELAY_MS }]);
  const steadyTasks = withSteady ? config.steadyPerSecond * config.steadySeconds : 0;
  // Creating runs slower than the api scenario's rate once the pipeline is busy: plan with half again.
  const creatingMs = ((steadyTasks + tasks) / createRate) * 1000 * 1.5 + 3_000;
  const firstSteady = ceilToSecond(Date.now() + creatingMs);
  const dueMs = withSteady ? firstSteady + config.steadySeconds * 1000 + 5_000 : ceilToSecond(Date.now() + creatingMs);
  if (withSteady) {
    receiver.respond('/steady', [{ delayMs: TARGET_DELAY_MS }]);
    await createAll(client, steadyDueTimes(config, firstSteady), `${receiver.url}/steady`);
  }
  await createAll(client, new Array<number>(tasks).fill(dueMs), `${receiver.url}${path}`);
  const ahead = round(((withSteady ? firstSteady : dueMs) - Date.now()) / 1000, 1);
  log(`burst of ${tasks}${withSteady ? ` and ${steadyTasks} steady tasks` : ''}: created ${ahead} s before the first is due`);
  if (ahead < 0.5) log(`WARNING: creating ran ${-ahead} s into the window it prepares; its figures include the creating`);
  let steady: BenchResults['steady'] | undefined;
  if (withSteady) {
    await sleepUntil(firstSteady);
    const loadAtDue = loadAverage();
    await sleepUntil(firstSteady + config.steadySeconds * 1000);
    const delivered = await awaitDeliveries(receiver, '/steady', steadyTasks, 60_000, 1_000);
    steady = { ...delivered, loadAverage: { atDue: loadAtDue, atEnd: loadAverage() }, perSecond: config.steadyPerSecond, seconds: config.steadySeconds };
    log(`steady: ${steady.delivered} delivered, p99 ${steady.lagMs.p99} ms`);
  }
  // DynamoDB Local's write rate as close to the burst as the wait allows: the machine's load drifts.
  if (dueMs - Date.now() > 5_000) putSamples.push(await probe.measure(3));
  const createdSecondsAhead = round((dueMs - Date.now()) / 1000, 1);
  await sleepUntil(dueMs);
  const loadAtDue = loadAverage();
  const burst = { ...(await awaitDeliveries(receiver, path, tasks, 180_000)), loadAverage: { atDue: loadAtDue, atEnd: loadAverage() } };
  log(`burst of ${tasks}: ${burst.delivered} delivered, p99 ${burst.lagMs.p99} ms, all after ${burst.allDeliveredMs} ms`);
  return { burst: { ...burst, createdSecondsAhead }, steady };
}

async function main(): Promise<void> {
  const config = process.argv.includes('--quick') ? QUICK : FULL;
  const loadAtStart = os.loadavg().map((l) => round(l, 2));
  log(`mode ${config.mode}; load average ${loadAtStart.join(' ')} on ${os.cpus().length} cores`);
  const receiver = await startWebhookReceiver();
  let stack: RunningStack | undefined;
  let partial: Omit<BenchResults, 'coldStart' | 'durationSeconds' | 'machine' | 'commit' | 'startedAt' | 'mode'>;
  let others: string[] = [];
  try {
    stack = await startStack({
      readyTimeoutMs: 120_000,
      // Generous per-user limits: the benchmark measures the pipeline, not the quotas.
      env: { TOCK_USER_RPS: '100000', TOCK_USER_BURST: '100000', TOCK_MAX_TASKS_PER_USER: '1000000' },
    });
    log(`stack ready at ${stack.baseUrl}`);
    others = busiestOtherProcesses(stack.pid);
    const client = await TaskClient.forUsers(stack.baseUrl, config.users);
    const probe = await ConditionalPutProbe.create(stack.endpoints.dynamodb);
    const putSamples: number[] = [];

    // Warm-up (JIT, connections), then the api scenario on tasks due far ahead (they never run
    // here); its create rate plans the due seconds below.
    const farAhead = (n: number) => Array.from({ length: n }, () => ceilToSecond(Date.now() + 3_600_000));
    await createAll(client, farAhead(64), `${receiver.url}/warm-up`);
    putSamples.push(await probe.measure(config.limitSeconds));
    log(`DynamoDB Local: ${putSamples[0]} conditional puts/s at 32 in flight`);
    const api = (await createAndRead(client, farAhead(config.apiTasks), `${receiver.url}/api`)).stats;
    log(`api: create p99 ${api.createMs.p99} ms, get p99 ${api.getMs.p99} ms, ${api.createPerSec} creates/s`);

    const bursts: BenchResults['burst'] = [];
    let steady: BenchResults['steady'] | undefined;
    for (const [i, tasks] of config.bursts.entries()) {
      const result = await runBurst(client, receiver, config, tasks, api.createPerSec, i === 0, probe, putSamples);
      bursts.push(result.burst);
      steady ??= result.steady;
    }
    putSamples.push(await probe.measure(config.limitSeconds));
    log(`DynamoDB Local: ${putSamples.join(', ')} conditional puts/s`);
    await probe.dispose();

    // The cost run uses the stack's DynamoDB Local and SQS, with tables and queues of its own.
    const costRun = await runExecutionCost({
      endpoints: stack.endpoints,
      receiver,
      executions: config.costExecutions,
      shards: 4,
      users: 8,
      scannerRunMs: config.costSliceMs,
      targetDelayMs: TARGET_DELAY_MS,
      log,
    });
    const cost = costOf(costRun);
    log(`cost: $${cost.usdPerMillion} per million executions`);

    const ddbLocalPutsPerSec = median(putSamples);
    const pipelineExecutionsPerSec = Math.max(...bursts.map((b) => b.executionsPerSec));
    const writesPerExecution = cost.perExecution.ddbWriteRequests;
    partial = {
      steady: steady!,
      burst: bursts,
      api,
      limit: {
        ddbLocalPutsPerSec,
        putSamples,
        pipelineExecutionsPerSec,
        writesPerExecution,
        ratio: round((pipelineExecutionsPerSec * writesPerExecution) / ddbLocalPutsPerSec, 2),
      },
      cost,
    };
  } finally {
    await stack?.dispose();
    await receiver.close();
  }

  // Cold starts last, with the stack gone: they are timed on an otherwise quieter machine.
  log('cold starts');
  const coldStart = await measureColdStarts(config.coldStartSamples, config.coldStartTracedSamples);
  const results: BenchResults = {
    mode: config.mode,
    startedAt: new Date(startedAt).toISOString(),
    durationSeconds: round((Date.now() - startedAt) / 1000),
    commit: execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim(),
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model ?? 'unknown',
      loadAverage: { start: loadAtStart, end: os.loadavg().map((l) => round(l, 2)) },
      busiestOtherProcesses: others,
    },
    ...partial,
    coldStart,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  writeFileSync(join(RESULTS_DIR, 'latest.json'), json);
  writeFileSync(join(RESULTS_DIR, `${results.startedAt.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')}.json`), json);
  console.log(`Tock benchmark (${config.mode}), ${results.startedAt}, commit ${results.commit}, ${results.durationSeconds} s`);
  console.log(`machine: ${results.machine.cpus} cores, load average ${loadAtStart.join(' ')} at start, ${results.machine.loadAverage.end.join(' ')} at end`);
  console.log(table(results));
  log(`written to ${join('bench', 'results', 'latest.json')}`);
}

await main();
