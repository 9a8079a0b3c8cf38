/**
 * `npm run chaos`: the fault-injection suite at full size (1,000+ occurrences) against its own
 * DynamoDB Local and fauxqs. Prints a summary; exits 1 on any invariant violation.
 *
 *   npm run chaos -- [--seed N] [--one-shots N] [--cron N] [--tenants N] [--window-seconds N] [--quiet] [--no-faults]
 *
 * --no-faults runs the same workload with no fault injected (a baseline for the timings).
 */
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { createResources } from '../../local/createResources';
import { silenceSdkNodeVersionWarning } from '../../local/localAws';
import { startDynamoDbLocal } from '../../local/services/dynamoDbLocal';
import { startFauxqs } from '../../local/services/fauxqs';
import { runChaos } from './chaosRun';
import { DEFAULT_FAULT_RATES } from './faultInjector';
import type { FaultRates } from './faultInjector';
import { formatSummary } from './summary';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    'one-shots': { type: 'string', default: '760' },
    cron: { type: 'string', default: '36' },
    tenants: { type: 'string', default: '4' },
    'window-seconds': { type: 'string', default: '40' },
    quiet: { type: 'boolean', default: false },
    'no-faults': { type: 'boolean', default: false },
  },
});

/** Every rate zero: the same workload and machinery, nothing injected (deletes and pauses still happen). */
const NO_FAULTS: FaultRates = Object.fromEntries(Object.entries(DEFAULT_FAULT_RATES).map(([k, v]) => [k, k === 'stormEveryMs' ? v : 0])) as unknown as FaultRates;

async function main(): Promise<number> {
  silenceSdkNodeVersionWarning();
  const started = Date.now();
  const say = (line: string): void => console.log(`[chaos ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}`);
  say('starting DynamoDB Local and fauxqs');
  const [dynamodb, fauxqs] = await Promise.all([startDynamoDbLocal(), startFauxqs()]);
  try {
    const endpoints = { dynamodb: dynamodb.endpoint, sqs: fauxqs.endpoint, s3: fauxqs.endpoint };
    const resources = await createResources({ prefix: `chaos-${randomBytes(3).toString('hex')}`, endpoints, visibilityTimeoutSeconds: 20, maxReceiveCount: 3 });
    const report = await runChaos({
      endpoints,
      resources,
      shardCount: 4,
      size: {
        tenants: Number(values.tenants),
        oneShots: Number(values['one-shots']),
        cronTasks: Number(values.cron),
        windowMs: Number(values['window-seconds']) * 1000,
        leadMs: 25_000,
      },
      ...(values.seed !== undefined ? { seed: Number(values.seed) } : {}),
      ...(values['no-faults'] ? { rates: NO_FAULTS } : {}),
      pollers: 10,
      settleTimeoutMs: 120_000,
      graceMs: 10_000,
      log: values.quiet ? undefined : say,
    });
    console.log(`\n${formatSummary(report)}\n`);
    if (!report.timings.settled) console.log('NOT SETTLED: some occurrences were still open when the suite gave up waiting.');
    return report.invariants.violations.length === 0 && report.timings.settled ? 0 : 1;
  } finally {
    await Promise.all([dynamodb.stop(), fauxqs.stop()]);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
