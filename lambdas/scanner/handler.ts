import { readConfig } from '../config';
import { compose } from '../runtime/composition';
import { ShardScanner } from '../app/shardScanner';
import { sleep } from '../runtime/executorComposition';
import { logger, metrics, MetricUnit } from '../runtime/observability';

const parts = compose(readConfig());
// The scanner sends on every run: its SQS client is built at cold start, not on its first send.
await parts.queue.ready();
const scanner = new ShardScanner({
  ...parts,
  sleep,
  onHandOver: (lagMs) => metrics.addMetric('DueToEnqueueLagMs', MetricUnit.Milliseconds, lagMs),
});

/** The schedule's input, `{"shard": n}`; anything else is a configuration error worth failing loudly. */
function shardOfEvent(event: unknown): number {
  const shard = typeof event === 'object' && event !== null ? (event as { shard?: unknown }).shard : undefined;
  if (typeof shard !== 'number' || !Number.isSafeInteger(shard) || shard < 0) {
    throw new TypeError(`the scanner expects {"shard": <integer >= 0>}, got ${JSON.stringify(event)}`);
  }
  return shard;
}

/** One shard for about a minute (EventBridge Scheduler starts one invocation per shard per minute). */
export async function handler(event: unknown): Promise<{ shard: number; handedOver: number; stale: number; redriven: number }> {
  const shard = shardOfEvent(event);
  const stats = await scanner.run(shard, parts.config.scannerRunMs);
  logger.info('scan finished', { shard, ...stats });
  metrics.publishStoredMetrics();
  return { shard, ...stats };
}
