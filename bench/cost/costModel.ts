import type { CallTally, Tallies } from './sdkCallMeter';
import type { ExecutionCostRun } from './executionCostRun';
import { PRICES, PRICES_AS_OF, PRICE_SOURCES } from './prices';
import { median, round } from '../support/stats';

/** What the deployed functions are given (infra/tockStack.ts, infra/constructs/tockFunction.ts). */
export const DEPLOYED = {
  executorMemoryMb: 512,
  scannerMemoryMb: 512,
  /** EventBridge Scheduler starts one scanner invocation per shard per minute, which runs about that long. */
  scannerBilledSecondsPerMinute: 60,
} as const;

/**
 * How long an executor invocation lasts on AWS. The records of a batch run in parallel, so the
 * batch takes as long as one execution: its DynamoDB calls one after another, the target's answer,
 * and the signing and JSON work. DynamoDB Local on a shared 2-core machine answers far slower than
 * DynamoDB does in-region, so its timings are reported but not billed.
 */
export const AWS_TIMING = { targetMs: 50, dynamoCallMs: 8, overheadMs: 10 } as const;

/**
 * The design point the fixed cost of the scanners is spread over, stated with the result: the
 * seed's 1M users creating 10 tasks a day, each run once (about 116 executions/s), on the 8 shards
 * the stack deploys by default (infra/settings.ts).
 */
export const DESIGN_POINT = { executionsPerSecond: 116, shards: 8 } as const;

export interface PerExecution {
  readonly ddbWriteUnits: number;
  readonly ddbReadUnits: number;
  readonly ddbRequests: number;
  /** DynamoDB write requests (the limit ratio's "writes per execution"). */
  readonly ddbWriteRequests: number;
  readonly sqsRequests: number;
  readonly lambdaInvocations: number;
  readonly lambdaGbSeconds: number;
  /** Calls per execution by service and operation, as measured. */
  readonly calls: Record<string, number>;
}

export interface CostReport {
  readonly perExecution: PerExecution;
  /** One executor invocation: as billed in the model, and as it went on this machine. */
  readonly executorBatchMs: { readonly modelledOnAws: number; readonly measuredLocallyMedian: number; readonly assumptions: typeof AWS_TIMING };
  /** Per shard and minute, whatever the load: the scanner's invocation, its polls, cursor and sweeps. */
  readonly perShardMinute: { readonly usd: number; readonly ddbReadUnits: number; readonly ddbWriteUnits: number; readonly lambdaGbSeconds: number };
  readonly usdPerMillionVariable: number;
  /** Variable cost plus the scanners' fixed cost at the design point. */
  readonly usdPerMillion: number;
  readonly designPoint: typeof DESIGN_POINT;
  /** Executions per second per shard at which the scanners' fixed cost adds $0.10 per million. */
  readonly shardRateForTenCents: number;
  readonly breakdownUsdPerMillion: Record<string, number>;
  readonly alternatives: Record<string, { usdPerMillion: number; note: string }>;
  readonly pricesAsOf: string;
  readonly prices: typeof PRICES;
  readonly priceSources: readonly string[];
  readonly method: string;
}

function sum(tallies: Tallies, pick: (t: CallTally, key: string) => number): number {
  return Object.entries(tallies).reduce((n, [key, t]) => n + pick(t, key), 0);
}

function minus(a: Tallies, b: Tallies): Tallies {
  const out: Tallies = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[key];
    const y = b[key];
    out[key] = {
      calls: (x?.calls ?? 0) - (y?.calls ?? 0),
      errors: (x?.errors ?? 0) - (y?.errors ?? 0),
      readUnits: (x?.readUnits ?? 0) - (y?.readUnits ?? 0),
      writeUnits: (x?.writeUnits ?? 0) - (y?.writeUnits ?? 0),
      billedRequests: (x?.billedRequests ?? 0) - (y?.billedRequests ?? 0),
      emptyReceives: (x?.emptyReceives ?? 0) - (y?.emptyReceives ?? 0),
      messages: (x?.messages ?? 0) - (y?.messages ?? 0),
    };
  }
  return out;
}

function scaled(tallies: Tallies, factor: number): Tallies {
  return Object.fromEntries(
    Object.entries(tallies).map(([key, t]) => [
      key,
      { calls: t.calls * factor, errors: t.errors * factor, readUnits: t.readUnits * factor, writeUnits: t.writeUnits * factor, billedRequests: t.billedRequests * factor, emptyReceives: t.emptyReceives * factor, messages: t.messages * factor },
    ]),
  );
}

function atLeastZero(tallies: Tallies): Tallies {
  return Object.fromEntries(
    Object.entries(tallies).map(([key, t]) => [
      key,
      Object.fromEntries(Object.entries(t).map(([field, value]) => [field, Math.max(0, value)])) as unknown as CallTally,
    ]),
  );
}

const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const isDynamo = (key: string) => key.startsWith('DynamoDB.');
const isSqs = (key: string) => key.startsWith('SQS.');

/**
 * Turns a metered run into the cost of one execution. Variable: everything the loaded slice did
 * beyond the idle one, plus what the sweeps spent on the entries beyond empty sweeps; empty polls of
 * the event source mapping are a fixed cost of the queue, not of work. Fixed: the idle slice and
 * the empty sweeps, per shard-minute, plus the scanner's Lambda minute and its Scheduler invocation.
 */
export function costOf(run: ExecutionCostRun): CostReport {
  const n = run.executions;
  // A loaded slice sleeps while it waits for due seconds, so it polls less than an idle one: an
  // operation it did less of counts as nothing, not as a saving.
  const work = atLeastZero(minus(run.loaded, scaled(run.idle, run.loadedSlices)));
  const sweeps = atLeastZero(minus(run.sweepsLoaded, run.sweepsEmpty));
  const variable: Tallies = { ...work };
  for (const [key, t] of Object.entries(sweeps)) {
    const w = variable[key];
    variable[key] = w
      ? { ...w, calls: w.calls + t.calls, readUnits: w.readUnits + t.readUnits, writeUnits: w.writeUnits + t.writeUnits, billedRequests: w.billedRequests + t.billedRequests }
      : t;
  }
  const receive = variable['SQS.ReceiveMessage'];
  if (receive) variable['SQS.ReceiveMessage'] = { ...receive, calls: receive.calls - receive.emptyReceives, billedRequests: receive.billedRequests - receive.emptyReceives };

  const ddbWriteUnits = sum(variable, (t, k) => (isDynamo(k) ? t.writeUnits : 0)) / n;
  const ddbReadUnits = sum(variable, (t, k) => (isDynamo(k) ? t.readUnits : 0)) / n;
  const ddbRequests = sum(variable, (t, k) => (isDynamo(k) ? t.calls : 0)) / n;
  const ddbWriteRequests = sum(variable, (t, k) => (isDynamo(k) && WRITE_OPERATIONS.has(k.slice('DynamoDB.'.length)) ? t.calls : 0)) / n;
  const sqsRequests = sum(variable, (t, k) => (isSqs(k) ? t.billedRequests : 0)) / n;
  const lambdaInvocations = run.executorBatches / n;
  // The executor's own calls, one after another for each record (the scanner's are Query and BatchGetItem).
  const executorCalls = ['DynamoDB.GetItem', 'DynamoDB.UpdateItem', 'DynamoDB.PutItem'].reduce((c, key) => c + (variable[key]?.calls ?? 0), 0) / n;
  const executorBatchMsOnAws = AWS_TIMING.targetMs + executorCalls * AWS_TIMING.dynamoCallMs + AWS_TIMING.overheadMs;
  // Lambda bills each invocation's duration by the millisecond.
  const lambdaGbSeconds = (executorBatchMsOnAws / 1000) * (DEPLOYED.executorMemoryMb / 1024) * lambdaInvocations;
  const calls: Record<string, number> = {};
  for (const [key, t] of Object.entries(variable)) if (Math.abs(t.calls / n) >= 0.001) calls[key] = round(t.calls / n, 3);

  const breakdown = {
    dynamoWrites: ddbWriteUnits * PRICES.dynamoWriteRequestUnit * 1e6,
    dynamoReads: ddbReadUnits * PRICES.dynamoReadRequestUnit * 1e6,
    sqs: sqsRequests * PRICES.sqsFifoRequest * 1e6,
    lambdaRequests: lambdaInvocations * PRICES.lambdaRequest * 1e6,
    lambdaDuration: lambdaGbSeconds * PRICES.lambdaArmGbSecond * 1e6,
  };
  const usdPerMillionVariable = Object.values(breakdown).reduce((a, b) => a + b, 0);

  // Fixed, per shard-minute: the idle slice holds the polls, the cursor writes and one empty sweep pass.
  const slicesPerMinute = 60_000 / run.scannerRunMs / run.shards;
  const idleReads = sum(run.idle, (t, k) => (isDynamo(k) ? t.readUnits : 0)) * slicesPerMinute;
  const idleWrites = sum(run.idle, (t, k) => (isDynamo(k) ? t.writeUnits : 0)) * slicesPerMinute;
  const scannerGbSeconds = DEPLOYED.scannerBilledSecondsPerMinute * (DEPLOYED.scannerMemoryMb / 1024);
  const shardMinuteUsd =
    idleReads * PRICES.dynamoReadRequestUnit +
    idleWrites * PRICES.dynamoWriteRequestUnit +
    scannerGbSeconds * PRICES.lambdaArmGbSecond +
    PRICES.lambdaRequest +
    PRICES.schedulerInvocation;
  const executionsPerShardMinute = (DESIGN_POINT.executionsPerSecond / DESIGN_POINT.shards) * 60;
  const fixedPerMillion = (shardMinuteUsd / executionsPerShardMinute) * 1e6;

  return {
    perExecution: {
      ddbWriteUnits: round(ddbWriteUnits, 3),
      ddbReadUnits: round(ddbReadUnits, 3),
      ddbRequests: round(ddbRequests, 3),
      ddbWriteRequests: round(ddbWriteRequests, 3),
      sqsRequests: round(sqsRequests, 3),
      lambdaInvocations: round(lambdaInvocations, 3),
      lambdaGbSeconds: round(lambdaGbSeconds, 5),
      calls,
    },
    executorBatchMs: { modelledOnAws: round(executorBatchMsOnAws), measuredLocallyMedian: round(median(run.executorBatchMs)), assumptions: AWS_TIMING },
    perShardMinute: { usd: round(shardMinuteUsd, 6), ddbReadUnits: round(idleReads, 1), ddbWriteUnits: round(idleWrites, 1), lambdaGbSeconds: scannerGbSeconds },
    usdPerMillionVariable: round(usdPerMillionVariable, 3),
    usdPerMillion: round(usdPerMillionVariable + fixedPerMillion, 3),
    designPoint: DESIGN_POINT,
    shardRateForTenCents: round(shardMinuteUsd / 60 / (0.1 / 1e6), 1),
    breakdownUsdPerMillion: Object.fromEntries(Object.entries({ ...breakdown, scannerFixed: fixedPerMillion }).map(([k, v]) => [k, round(v, 3)])),
    alternatives: {
      eventBridgeSchedulerHttp: {
        usdPerMillion: round((PRICES.schedulerInvocation + PRICES.eventBusEvent + PRICES.apiDestinationDelivery) * 1e6, 2),
        note: 'one-time schedule -> event bus -> rule -> API destination; fires within the minute, keeps no run history',
      },
      stepFunctionsStandard: {
        usdPerMillion: round(3 * PRICES.stepFunctionsStandardTransition * 1e6, 2),
        note: 'one execution per run: Wait (until the due time) + HTTP Task + Succeed = 3 state transitions; history kept 90 days',
      },
    },
    pricesAsOf: PRICES_AS_OF,
    prices: PRICES,
    priceSources: PRICE_SOURCES,
    method:
      'Deployed handlers in-process against DynamoDB Local and the local SQS, every AWS client metered (ReturnConsumedCapacity=TOTAL; ' +
      'Local\'s empty queries, transactions and failed conditions corrected to AWS billing). Variable = loaded scanner slice minus ' +
      'an idle one + sweep passes over the entries minus the same passes over nothing; fixed = per shard-minute, spread over the design point.',
  };
}
