import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { randomInt } from 'node:crypto';
import { readConfig } from '../config';
import { compose } from '../runtime/composition';
import { DeadLetterSettler } from '../app/deadLetterSettler';
import { workMessageOf } from '../runtime/workMessages';
import { logger, metrics, MetricUnit } from '../runtime/observability';

const parts = compose(readConfig());
const settler = new DeadLetterSettler({
  ...parts,
  random: () => randomInt(0, 2 ** 32) / 2 ** 32,
  shardCount: parts.config.shardCount,
});

/** Settles each dead-lettered execution: FAILED with the reason, or re-driven when attempts remain. */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const outcomes = await Promise.allSettled(
    event.Records.map(async (record) => {
      const message = workMessageOf(record);
      if (!message) {
        logger.error('dropping a dead letter that is not a work message', { messageId: record.messageId });
        return;
      }
      const settlement = await settler.settle(message, Number(record.attributes.ApproximateReceiveCount ?? 0));
      if (settlement === 'in-flight') throw new Error(`execution ${message.e} still holds a live lease`);
      metrics.addMetric('DlqSettled', MetricUnit.Count, 1);
      logger.info('dead letter settled', { executionId: message.e, settlement });
    }),
  );
  metrics.publishStoredMetrics();
  return {
    batchItemFailures: outcomes.flatMap((o, i) => (o.status === 'rejected' ? [{ itemIdentifier: event.Records[i]!.messageId }] : [])),
  };
}
