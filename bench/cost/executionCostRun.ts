import type { APIGatewayProxyStructuredResultV2, SQSEvent } from 'aws-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { buildApiGatewayEvent } from '../../local/apiGatewayEvent';
import { createResources } from '../../local/createResources';
import { EventSourceMapping } from '../../local/eventSourceMapping';
import { applyHandlerEnvironment, handlerEnvironment } from '../../local/handlerEnvironment';
import { createLambdaContext, localFunctions } from '../../local/lambdaContext';
import { importLambdaHandlers } from '../../local/lambdaHandlers';
import type { LambdaHandlers } from '../../local/lambdaHandlers';
import { localClientConfig } from '../../local/localAws';
import type { LocalEndpoints } from '../../local/localAws';
import { readConfig } from '../../lambdas/config';
import { awsClientObservers, compose } from '../../lambdas/runtime/composition';
import { SweepPlanner, SWEEP_BANDS_MS } from '../../lambdas/app/sweepPlanner';
import type { WebhookReceiver } from '../../test/support/webhookReceiver';
import { forEachLimited, median } from '../support/stats';
import { atSecond, ceilToSecond } from '../support/taskClient';
import { difference, SdkCallMeter } from './sdkCallMeter';
import type { Tallies } from './sdkCallMeter';

/** How often the deployed scanner sweeps (shardScanner.ts) and how wide a band is (sweepPlanner.ts). */
const SWEEP_EVERY_MS = 10_000;
const BAND_WIDTH_MS = 70_000;

export interface ExecutionCostRun {
  readonly executions: number;
  readonly shards: number;
  /** Length of one scanner invocation in this run. */
  readonly scannerRunMs: number;
  /** One scanner invocation per shard with nothing due: the fixed cost of a shard. */
  readonly idle: Tallies;
  /** `loadedSlices` such invocations back to back while `executions` one-shot tasks fell due: hand-over, claim, delivery, record. */
  readonly loaded: Tallies;
  readonly loadedSlices: number;
  /** Every sweep pass that looks at the entries over their lifetime (30 s, 6 min and 20 min bands)... */
  readonly sweepsLoaded: Tallies;
  /** ...and the same passes over a stretch of time with no entries (their fixed part). */
  readonly sweepsEmpty: Tallies;
  /** Executor invocations (SQS batches) and how long each took, in ms. */
  readonly executorBatches: number;
  readonly executorBatchMs: number[];
  readonly delivered: number;
}

type ApiHandler = LambdaHandlers['api'];

async function sleepUntil(epochMs: number): Promise<void> {
  const wait = epochMs - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

async function callApi(api: ApiHandler, method: string, url: string, userId: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const bytes = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body));
  const event = buildApiGatewayEvent(
    { method, url, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: bytes, sourceIp: '127.0.0.1', localPort: 3000, receivedAtMs: Date.now() },
    { sub: userId, iss: 'tock-local', aud: 'tock' },
  );
  const result = (await api(event, createLambdaContext(localFunctions().api))) as APIGatewayProxyStructuredResultV2;
  return { status: result.statusCode ?? 200, json: result.body ? JSON.parse(result.body) : undefined };
}

/**
 * The cost of one execution, call by call. Runs the deployed handlers in this process against the
 * stack's DynamoDB Local and SQS, on a table and queue of their own, with every AWS client metered
 * (composition.ts `awsClientObservers`): an idle scanner minute-slice, the same slice with
 * `executions` one-shot tasks falling due (the local event source mapping feeding the executor),
 * then the sweep passes each entry meets over its life, replayed at their real ages. Must run in a
 * process that has not imported the handlers yet: they read their configuration at import.
 */
export async function runExecutionCost(options: {
  readonly endpoints: LocalEndpoints;
  readonly receiver: WebhookReceiver;
  readonly executions: number;
  readonly shards: number;
  readonly users: number;
  readonly scannerRunMs: number;
  readonly targetDelayMs: number;
  readonly log: (message: string) => void;
}): Promise<ExecutionCostRun> {
  const { endpoints, receiver, executions, shards, scannerRunMs, log } = options;
  const resources = await createResources({ prefix: `benchcost-${randomBytes(4).toString('hex')}`, endpoints });
  applyHandlerEnvironment(handlerEnvironment({ endpoints, resources, secretsKey: randomBytes(32).toString('base64') }));
  Object.assign(process.env, {
    TOCK_SHARD_COUNT: String(shards),
    TOCK_SCANNER_RUN_MS: String(scannerRunMs),
    TOCK_USER_RPS: '0',
    TOCK_MAX_TASKS_PER_USER: '1000000',
  });
  const meter = new SdkCallMeter();
  awsClientObservers.push(meter.attach);
  const handlers = await importLambdaHandlers();
  const fn = localFunctions();
  const path = '/cost';
  receiver.respond(path, [{ delayMs: options.targetDelayMs }]);

  // Each user's signing secret is made on its first use, once in the life of the account: not per run.
  const users = Array.from({ length: options.users }, (_, i) => `bench-cost-${i}`);
  for (const user of users) await callApi(handlers.api, 'GET', '/v1/signing-secret', user);

  const scanAllShards = () =>
    Promise.all(Array.from({ length: shards }, (_, shard) => handlers.scanner({ shard }, createLambdaContext(fn.scanner))));
  const createTask = async (dueMs: number, i: number) => {
    const created = await callApi(handlers.api, 'POST', '/v1/tasks', users[i % users.length]!, {
      schedule: atSecond(dueMs),
      target: { type: 'http', url: `${receiver.url}${path}`, timeoutSeconds: 10 },
      payload: { bench: 'cost', i },
      retryPolicy: { maxAttempts: 1, backoffSeconds: 1 },
    });
    if (created.status !== 201) throw new Error(`cost run: create answered ${created.status}: ${JSON.stringify(created.json)}`);
  };

  let before = meter.snapshot();
  await scanAllShards();
  const idle = difference(meter.snapshot(), before);
  log(`cost run: idle slice metered (${shards} shards x ${scannerRunMs} ms)`);

  // The tasks fall due a few seconds after they are all created, spread over a few seconds. A
  // first batch due far in the future (it never runs here) tells how fast creating goes.
  const warmUpStarted = Date.now();
  await forEachLimited(Array.from({ length: 32 }, () => Date.now() + 86_400_000), 16, createTask);
  const createMsEach = (Date.now() - warmUpStarted) / 32;
  const firstDue = ceilToSecond(Date.now() + executions * createMsEach * 1.5 + 2_000);
  const spreadSeconds = 3;
  const dueTimes = Array.from({ length: executions }, (_, i) => firstDue + (i % spreadSeconds) * 1000);
  await forEachLimited(dueTimes, 16, createTask);

  // The executor behind a metered copy of the event source mapping (its receives and deletes are SQS requests too).
  const sqs = new SQSClient(localClientConfig(endpoints.sqs));
  meter.attach(sqs);
  const executorBatchMs: number[] = [];
  const mapping = new EventSourceMapping({
    sqs,
    queueUrl: resources.queueUrl,
    queueArn: resources.queueArn,
    fn: fn.executor,
    pollers: 4,
    handler: async (event: SQSEvent, context) => {
      const started = performance.now();
      try {
        return await handlers.executor(event, context);
      } finally {
        executorBatchMs.push(performance.now() - started);
      }
    },
  });
  const deliveredCount = () => new Set(receiver.requests.filter((r) => r.path === path).map((r) => r.headers['webhook-id'])).size;
  // The slice starts just before the first due second: a slice that starts later re-sends what
  // the previous one handed over in its last seconds (the lookback; FIFO de-duplication drops the
  // copies), which with slices this short would count as a fixed share of every execution.
  await sleepUntil(firstDue - 1_500);
  before = meter.snapshot();
  mapping.start();
  // Scanner slices back to back (as the local scanner loop runs them) until every task was delivered.
  let slices = 0;
  const deadline = Date.now() + 90_000;
  while (deliveredCount() < executions && Date.now() < deadline) {
    await scanAllShards();
    slices++;
  }
  await mapping.stop();
  const loaded = difference(meter.snapshot(), before);
  log(`cost run: ${slices} loaded slice(s) metered, ${deliveredCount()} of ${executions} delivered`);

  // Sweeps: the deployed scanner calls sweepBands every 10 s, and each band query reads an entry on
  // every pass while it is in the band (70 s wide), though the entry is checked only once per band.
  const parts = compose(readConfig());
  const replaySweeps = async (from: number): Promise<Tallies> => {
    const start = meter.snapshot();
    for (let shard = 0; shard < shards; shard++) {
      const planner = new SweepPlanner(parts, () => Promise.resolve());
      // Only the passes that meet the entries: in band b, an entry due at t is read while
      // now - b - 70 s < t <= now - b. The passes in between query empty time in both replays alike.
      for (const band of SWEEP_BANDS_MS) {
        const last = from + SWEEP_EVERY_MS + spreadSeconds * 1000 + band + BAND_WIDTH_MS;
        for (let now = from + band; now <= last; now += SWEEP_EVERY_MS) await planner.sweepBands(shard, now);
      }
    }
    return difference(meter.snapshot(), start);
  };
  const sweepsLoaded = await replaySweeps(firstDue - SWEEP_EVERY_MS);
  // Two days later nothing is due: the same passes cost only their empty queries.
  const sweepsEmpty = await replaySweeps(firstDue - SWEEP_EVERY_MS + 2 * 86_400_000);
  log('cost run: sweeps replayed');
  awsClientObservers.splice(awsClientObservers.indexOf(meter.attach), 1);
  sqs.destroy();
  return {
    executions,
    shards,
    scannerRunMs,
    idle,
    loaded,
    loadedSlices: slices,
    sweepsLoaded,
    sweepsEmpty,
    executorBatches: executorBatchMs.length,
    executorBatchMs,
    delivered: deliveredCount(),
  };
}

export { median };
