import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DeadLetterSettler } from '../../lambdas/app/deadLetterSettler';
import type { ExecutionRecord } from '../../lambdas/domain/execution';
import { isTerminal } from '../../lambdas/domain/execution';
import { occurrenceExecutionId } from '../../lambdas/domain/ids';
import type { LocalResources } from '../../local/createResources';
import type { LocalEndpoints } from '../../local/localAws';
import { startChaosReceiver } from './chaosReceiver';
import { ExecutorInvoker } from './executorInvoker';
import type { InvocationOutcome } from './executorInvoker';
import { DEFAULT_FAULT_RATES, FaultInjector, seededRandom } from './faultInjector';
import type { FaultKind, FaultRates } from './faultInjector';
import { injectDynamoThrottling, injectSqsServerErrors } from './faultyClients';
import { appClients, appPorts, httpDeliverer, offsetClock, realSleep, taskCommandsOf } from './inProcessApp';
import type { AppClients } from './inProcessApp';
import { checkInvariants } from './invariants';
import type { InvariantReport } from './invariants';
import { DeadLetterPoller, WorkQueuePoller } from './queuePollers';
import { OUTAGE_MS, ScannerFleet } from './scannerFleet';
import { createWorkload, intervene } from './workload';
import type { PlannedTask, WorkloadSize } from './workload';

export interface ChaosOptions {
  readonly endpoints: LocalEndpoints;
  /** A table, work queue and DLQ of its own (visibility timeout about 20 s). */
  readonly resources: LocalResources;
  readonly size: WorkloadSize;
  readonly shardCount: number;
  readonly rates?: FaultRates;
  readonly seed?: number;
  /** One scanner invocation's run. @default 5000 */
  readonly scannerRunMs?: number;
  /** @default 4 */
  readonly pollers?: number;
  /** TOCK_MAX_ATTEMPT_TIMEOUT_SECONDS in ms; the lease is this plus 15 s. @default 2000 */
  readonly maxAttemptTimeoutMs?: number;
  /** How long after the last occurrence fell due everything must be settled. */
  readonly settleTimeoutMs: number;
  /** Faults and deliveries go on this long after everything settled (late duplicates show up). */
  readonly graceMs: number;
  readonly log?: (line: string) => void;
}

export interface ChaosReport {
  readonly seed: number;
  readonly size: WorkloadSize;
  readonly tasks: number;
  readonly timings: { readonly setupMs: number; readonly dueWindowMs: number; readonly settleMs: number; readonly totalMs: number; readonly settled: boolean };
  readonly invariants: InvariantReport;
  readonly faults: ReadonlyArray<readonly [FaultKind, number]>;
  readonly crashPoints: ReadonlyArray<readonly [string, number]>;
  readonly invocations: Readonly<Record<InvocationOutcome, number>>;
  readonly deadLetters: Readonly<Record<string, number>>;
  readonly requests: number;
  readonly scannerInvocations: number;
  /** Errors that reached Tock's code because the SDK's retries ran out (not injected crashes), by message. */
  readonly surfacedErrors: ReadonlyArray<readonly [string, number]>;
}

function tally(items: readonly string[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
}

async function readExecutions(clients: AppClients, tableName: string): Promise<ExecutionRecord[]> {
  const records: ExecutionRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await clients.document.send(
      new ScanCommand({ TableName: tableName, FilterExpression: 'begins_with(sk, :x)', ExpressionAttributeValues: { ':x': 'X#' }, ExclusiveStartKey: start }),
    );
    for (const item of out.Items ?? []) {
      const { pk: _pk, sk: _sk, ttl: _ttl, ...record } = item;
      records.push(record as unknown as ExecutionRecord);
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return records;
}

/** Occurrences still owed an execution, and executions not yet terminal (deleted tasks aside). */
function unsettled(planned: readonly PlannedTask[], records: readonly ExecutionRecord[]): string[] {
  const byId = new Map(records.map((r) => [r.executionId, r]));
  const deleted = new Set(planned.filter((t) => t.deletedAt !== null).map((t) => t.taskId));
  const open = records.filter((r) => !isTerminal(r.status) && !deleted.has(r.taskId)).map((r) => `${r.executionId} ${r.status}(${r.attempt})`);
  for (const task of planned) {
    if (task.deletedAt !== null || task.pausedAt !== null || task.deleteAt !== null || task.pauseAt !== null) continue;
    for (const t of task.occurrences) {
      const id = occurrenceExecutionId(task.taskId, new Date(t));
      if (!byId.has(id)) open.push(`${id} no record`);
    }
  }
  return open;
}

/**
 * Drives the real ShardScanner, WorkExecutor, DeadLetterSettler and TaskCommands against DynamoDB
 * Local and fauxqs with faults injected everywhere, waits until every occurrence is settled, and
 * checks the invariants on what is left.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => undefined);
  const began = Date.now();
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const random = seededRandom(seed);
  const faults = new FaultInjector(options.rates ?? DEFAULT_FAULT_RATES, random);
  faults.trace = log;
  const { endpoints, resources, shardCount } = options;
  const clean = appClients(endpoints);
  const faulty = appClients(endpoints);
  injectDynamoThrottling(faulty.dynamodb, faults);
  injectSqsServerErrors(faulty.sqs, faults);
  const cleanPorts = appPorts(clean, resources);
  const ports = appPorts(faulty, resources);
  const receiver = await startChaosReceiver({ slowMs: 1_500 });
  try {
    const planned = await createWorkload(taskCommandsOf(cleanPorts, shardCount), cleanPorts.tasks, options.size, receiver.url, random);
    const occurrences = planned.flatMap((t) => t.occurrences);
    const firstDue = Math.min(...occurrences);
    const lastDue = Math.max(...occurrences);
    log(`${planned.length} tasks made in ${Date.now() - began} ms; ${occurrences.length} occurrences due ${new Date(firstDue).toISOString()} .. ${new Date(lastDue).toISOString()} (seed ${seed})`);

    faults.enabled = true;
    const maxAttemptTimeoutMs = options.maxAttemptTimeoutMs ?? 2_000;
    const invoker = new ExecutorInvoker({ ports, faults, receiver, deliver: httpDeliverer(), shardCount, maxAttemptTimeoutMs });
    const poller = new WorkQueuePoller({ sqs: faulty.sqs, queueUrl: resources.queueUrl, invoker, faults, pollers: options.pollers ?? 4 });
    const settler = new DeadLetterSettler({ ...ports, clock: offsetClock(0), random, shardCount });
    const deadLetters = new DeadLetterPoller({ sqs: faulty.sqs, queueUrl: resources.dlqUrl, settler });
    const scanners = new ScannerFleet({ ports, faults, shardCount, runMs: options.scannerRunMs ?? 5_000 });
    let stopping = false;
    scanners.start();
    scanners.planOutages(Math.max(Date.now(), firstDue), lastDue - OUTAGE_MS);
    poller.start();
    deadLetters.start();
    const interventions = intervene(taskCommandsOf(ports, shardCount), planned, faults, () => stopping);

    const running = Date.now();
    await realSleep(Math.max(0, lastDue + 1_000 - Date.now()));
    const windowEnd = Date.now();
    const deadline = windowEnd + options.settleTimeoutMs;
    let open = Infinity;
    let ids: string[] = [];
    /** The last executions to settle: the slowest recoveries, traced below. */
    let lastOpen: string[] = [];
    while (Date.now() < deadline) {
      ids = unsettled(planned, await readExecutions(clean, resources.tableName));
      if (ids.length > 0) lastOpen = ids;
      open = ids.length;
      log(`${Math.round((Date.now() - windowEnd) / 1000)} s after the last due time: ${open} occurrences not settled${open <= 3 ? `: ${ids.join(', ')}` : ''}`);
      if (open === 0) break;
      await realSleep(1_000);
    }
    const settledAt = Date.now();
    for (const id of (ids.length > 0 ? ids : lastOpen).slice(0, 5)) {
      log(`${ids.length > 0 ? 'unsettled' : 'settled last'}: ${id}`);
      for (const event of faults.events.get(id.split(' ')[0]!) ?? []) log(`    ${event}`);
    }
    await realSleep(options.graceMs);
    stopping = true;
    faults.enabled = false;
    await Promise.all([scanners.stop(), poller.stop(), deadLetters.stop(), interventions]);

    const invariants = checkInvariants({
      planned,
      records: await readExecutions(clean, resources.tableName),
      requests: receiver.requests,
      attempts: invoker.attempts,
      outcomes: invoker.outcomes,
    });
    const firstSent = new Map<string, number>();
    for (const a of invoker.attempts) if (!firstSent.has(a.executionId) || firstSent.get(a.executionId)! > a.sentAt) firstSent.set(a.executionId, a.sentAt);
    const kinds = new Map(planned.map((t) => [t.taskId, t.kind]));
    const slowest = invoker.attempts
      .filter((a) => a.sentAt === firstSent.get(a.executionId))
      .sort((a, b) => b.sentAt - b.scheduledFor - (a.sentAt - a.scheduledFor))
      .slice(0, 5);
    for (const a of slowest) {
      log(`slow: ${a.executionId} (${kinds.get(a.taskId)}, due ${new Date(a.scheduledFor).toISOString().slice(11, 23)}) first sent ${a.sentAt - a.scheduledFor} ms late`);
      for (const event of faults.events.get(a.executionId) ?? []) log(`    ${event}`);
    }
    const invocations: Record<InvocationOutcome, number> = { done: 0, 'not-yet': 0, crashed: 0, killed: 0, error: 0 };
    for (const outcome of invoker.outcomes.values()) invocations[outcome] += 1;
    return {
      seed,
      size: options.size,
      tasks: planned.length,
      timings: {
        setupMs: running - began,
        dueWindowMs: lastDue - firstDue,
        settleMs: settledAt - windowEnd,
        totalMs: Date.now() - began,
        settled: open === 0,
      },
      invariants,
      faults: [...faults.counts.entries()].sort((a, b) => b[1] - a[1]),
      crashPoints: [...faults.crashPoints.entries()].sort((a, b) => a[0].localeCompare(b[0])),
      invocations,
      deadLetters: Object.fromEntries(deadLetters.settlements),
      requests: receiver.requests.length,
      scannerInvocations: scanners.invocations,
      surfacedErrors: tally([...scanners.errors.map((e) => `scanner: ${e}`), ...invoker.errors.map((e) => `executor: ${e}`)]),
    };
  } finally {
    await receiver.close();
    clean.destroy();
    faulty.destroy();
  }
}
