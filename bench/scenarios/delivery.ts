import type { ReceivedRequest, WebhookReceiver } from '../../test/support/webhookReceiver';
import { parseExecutionId } from '../../lambdas/domain/ids';
import type { Percentiles } from '../support/stats';
import { percentile, percentiles, round } from '../support/stats';

/** What the target saw of one scenario's deliveries. */
export interface DeliveryStats {
  readonly tasks: number;
  readonly delivered: number;
  /** Receipts beyond the first of an execution (the webhook-id): each one is a second run. */
  readonly duplicates: number;
  /** Receipts before their due second (invariant 1: must be 0). */
  readonly early: number;
  /** Due second to the target receiving the request, first receipt of each execution. */
  readonly lagMs: Percentiles;
  /** The last first-receipt after the earliest due time: how long the whole set took. */
  readonly allDeliveredMs: number;
  /** Steady drain rate: the middle 80% of receipts over the time they took. */
  readonly executionsPerSec: number;
}

/** The due instant is part of the execution id (docs/data-model.md), so every receipt carries its own. */
function dueOf(request: ReceivedRequest): number | undefined {
  const id = request.headers['webhook-id'];
  return id ? parseExecutionId(id)?.scheduledForMs : undefined;
}

/**
 * Waits until `expected` distinct executions reached `path` (or `timeoutMs` passed), then a little
 * longer to catch late duplicates, and summarizes the receipts.
 */
export async function awaitDeliveries(receiver: WebhookReceiver, path: string, expected: number, timeoutMs: number, graceMs = 2_000): Promise<DeliveryStats> {
  const deadline = Date.now() + timeoutMs;
  const firstReceipts = (): number => new Set(receiver.requests.filter((r) => r.path === path).map((r) => r.headers['webhook-id'])).size;
  while (firstReceipts() < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  await new Promise((resolve) => setTimeout(resolve, graceMs));
  return summarize(receiver.requests.filter((r) => r.path === path), expected);
}

export function summarize(requests: readonly ReceivedRequest[], tasks: number): DeliveryStats {
  const first = new Map<string, ReceivedRequest>();
  let duplicates = 0;
  let early = 0;
  for (const request of requests) {
    const id = request.headers['webhook-id'] ?? '';
    const due = dueOf(request);
    if (due !== undefined && request.receivedAt < due) early++;
    if (first.has(id)) duplicates++;
    else first.set(id, request);
  }
  const receipts = [...first.values()];
  const lags = receipts.map((r) => r.receivedAt - (dueOf(r) ?? r.receivedAt));
  const times = receipts.map((r) => r.receivedAt).sort((a, b) => a - b);
  const firstDue = Math.min(...receipts.map((r) => dueOf(r) ?? Infinity));
  const t10 = percentile(times, 10);
  const t90 = percentile(times, 90);
  const middle = Math.round(receipts.length * 0.8);
  return {
    tasks,
    delivered: receipts.length,
    duplicates,
    early,
    lagMs: percentiles(lags),
    allDeliveredMs: receipts.length > 0 ? round(times[times.length - 1]! - firstDue) : Number.NaN,
    executionsPerSec: t90 > t10 ? round(middle / ((t90 - t10) / 1000), 1) : Number.NaN,
  };
}
