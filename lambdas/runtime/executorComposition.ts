import { randomInt } from 'node:crypto';
import type { Composition } from './composition';
import { WorkExecutor } from '../app/workExecutor';
import { buildDeliveryHeaders } from '../delivery/webhookHeaders';
import { deliver } from '../delivery/httpDelivery';
import { isSealed } from '../delivery/secretBox';
import { metrics, MetricUnit } from './observability';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The executor as deployed: signs with the user's secrets and sends through the SSRF guard. */
export function workExecutorOf(parts: Composition): WorkExecutor {
  return new WorkExecutor({
    ...parts,
    sleep,
    random: () => randomInt(0, 2 ** 32) / 2 ** 32,
    shardCount: parts.config.shardCount,
    maxAttemptTimeoutMs: parts.config.maxAttemptTimeoutSeconds * 1000,
    deliver: async (attempt, startedAt) => {
      const taskHeaders = Object.fromEntries(
        await Promise.all(
          Object.entries(attempt.headers).map(async ([name, value]) => [
            name,
            isSealed(value) || value.startsWith('kms:v1:') ? await parts.cipher.decrypt(value) : value,
          ]),
        ),
      ) as Record<string, string>;
      const body = attempt.body ?? '';
      const headers = buildDeliveryHeaders({
        executionId: attempt.identity.executionId,
        taskId: attempt.identity.taskId,
        attempt: attempt.attempt,
        scheduledFor: new Date(attempt.identity.scheduledFor),
        now: startedAt,
        body,
        secrets: await parts.signingSecrets.forDelivery(attempt.userId),
        taskHeaders,
      });
      return deliver({ url: attempt.url, method: attempt.method, headers, body, timeoutMs: attempt.timeoutMs }, parts.targetPolicy);
    },
    onSettled: (record, startLagMs) => {
      if (startLagMs !== null) metrics.addMetric('DueToStartLagMs', MetricUnit.Milliseconds, startLagMs);
      const name = record.status === 'SUCCEEDED' ? 'ExecutionsSucceeded' : record.status === 'RETRYING' ? 'ExecutionsRetried' : 'ExecutionsFailed';
      metrics.addMetric(name, MetricUnit.Count, 1);
    },
  });
}
