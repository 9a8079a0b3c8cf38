import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { readConfig } from '../config';
import { compose } from '../runtime/composition';
import { workExecutorOf } from '../runtime/executorComposition';
import { workMessageOf } from '../runtime/workMessages';
import { logger, metrics } from '../runtime/observability';

const executor = workExecutorOf(compose(readConfig()));

/**
 * SQS batch → one claim-attempt-record per message, all in parallel. Each record fails or
 * succeeds alone (partial batch response): one poison message never fails its neighbours.
 */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const outcomes = await Promise.allSettled(
    event.Records.map(async (record) => {
      const message = workMessageOf(record);
      if (!message) {
        logger.error('dropping a message that is not a work message', { messageId: record.messageId });
        return;
      }
      const outcome = await executor.execute(message);
      if (outcome === 'not-yet') throw new Error(`execution ${message.e} is not due yet`);
    }),
  );
  const batchItemFailures = outcomes.flatMap((outcome, i) => {
    if (outcome.status === 'fulfilled') return [];
    logger.warn('delivery will be retried by the queue', { messageId: event.Records[i]!.messageId, error: outcome.reason as Error });
    return [{ itemIdentifier: event.Records[i]!.messageId }];
  });
  metrics.publishStoredMetrics();
  return { batchItemFailures };
}
