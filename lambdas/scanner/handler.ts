import { z } from 'zod';
import { readConfig } from '../config';
import { compose } from '../runtime/composition';
import { ShardScanner } from '../app/shardScanner';
import { sleep } from '../runtime/executorComposition';
import { logger, metrics, MetricUnit } from '../runtime/observability';

const parts = compose(readConfig());
const scanner = new ShardScanner({
  ...parts,
  sleep,
  onHandOver: (lagMs) => metrics.addMetric('DueToEnqueueLagMs', MetricUnit.Milliseconds, lagMs),
});

const eventSchema = z.object({ shard: z.number().int().min(0) });

/** One shard for about a minute (EventBridge Scheduler starts one invocation per shard per minute). */
export async function handler(event: unknown): Promise<{ shard: number; handedOver: number; stale: number; redriven: number }> {
  const { shard } = eventSchema.parse(event);
  const stats = await scanner.run(shard, parts.config.scannerRunMs);
  logger.info('scan finished', { shard, ...stats });
  metrics.publishStoredMetrics();
  return { shard, ...stats };
}
