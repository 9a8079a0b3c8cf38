import { signWebhook } from './webhookSignature';

export interface DeliveryHeadersInput {
  /** Becomes `webhook-id`: the same on every attempt, so receivers can de-duplicate. */
  readonly executionId: string;
  readonly taskId: string;
  /** 1-based attempt number. */
  readonly attempt: number;
  readonly scheduledFor: Date;
  /** When this attempt is sent: becomes `webhook-timestamp` (seconds). */
  readonly now: Date;
  /** The exact body that will be sent; it is what gets signed. */
  readonly body: string;
  /** The user's signing secrets, current first (two during a rotation grace period). */
  readonly secrets: readonly string[];
  /** The task's target headers, already decrypted. */
  readonly taskHeaders?: Readonly<Record<string, string>>;
}

/** Header prefixes that Tock owns; a task cannot set or override them. */
const RESERVED_PREFIXES = ['webhook-', 'x-tock-'];

const USER_AGENT = 'Tock-Webhooks/1';

/**
 * The headers of one delivery attempt, per the contract: `webhook-id`, `webhook-timestamp`,
 * `webhook-signature` (Standard Webhooks), `x-tock-task-id`, `x-tock-attempt`,
 * `x-tock-scheduled-for`, `content-type: application/json` unless the task sets one, and the
 * task's own headers. Names are lower-cased; a task header named `webhook-*` or `x-tock-*` is
 * ignored so that a task cannot forge a signature or an attempt number.
 */
export function buildDeliveryHeaders(input: DeliveryHeadersInput): Record<string, string> {
  const { executionId, taskId, attempt, scheduledFor, now, body, secrets, taskHeaders = {} } = input;
  if (!Number.isSafeInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  const timestamp = Math.floor(now.getTime() / 1000);

  // Object.fromEntries defines properties, so even a header named "__proto__" stays a header.
  const own = Object.entries(taskHeaders)
    .map(([name, value]) => [name.toLowerCase(), value] as const)
    .filter(([name]) => !RESERVED_PREFIXES.some((prefix) => name.startsWith(prefix)));
  return {
    ...Object.fromEntries([['content-type', 'application/json'], ['user-agent', USER_AGENT], ...own]),
    'webhook-id': executionId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook({ id: executionId, timestamp, body, secrets }),
    'x-tock-task-id': taskId,
    'x-tock-attempt': String(attempt),
    'x-tock-scheduled-for': scheduledFor.toISOString(),
  };
}
