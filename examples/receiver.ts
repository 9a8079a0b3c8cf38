/**
 * A receiver for Tock deliveries that checks each one before trusting it:
 *
 * - the Standard Webhooks signature over the raw body (`verifyWebhook`), with the current secret
 *   and, during a rotation, the previous one;
 * - the timestamp within 5 minutes of this clock, so a captured request cannot be replayed later;
 * - `webhook-id` not seen before, because a retry of the same execution carries the same id.
 *
 * Run it:  TOCK_SIGNING_SECRET=whsec_... npx tsx examples/receiver.ts   (PORT, default 4000)
 * Get the secret with `GET /v1/signing-secret`. test/e2e/tenantSafety.e2e.test.ts runs this file
 * against real deliveries from the local stack.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import { verifyWebhook } from '../lambdas/delivery/webhookSignature';

/** A delivery that passed every check. */
export interface VerifiedDelivery {
  /** `webhook-id`: the execution id, the same on every attempt. */
  readonly id: string;
  readonly taskId: string;
  readonly attempt: number;
  /** The payload exactly as sent: JSON text, or the string itself. */
  readonly body: string;
}

export interface ReceiverOptions {
  /** The current signing secret first; during a rotation also the previous one. */
  readonly secrets: readonly string[];
  /** Your work. Throwing answers 500, so Tock retries with the same `webhook-id`. */
  readonly onDelivery: (delivery: VerifiedDelivery) => void | Promise<void>;
  /** @default 300 */
  readonly toleranceSeconds?: number;
  /** Largest body read, in bytes (Tock sends at most 1 MiB). @default 1_048_576 */
  readonly maxBodyBytes?: number;
}

/** How long a `webhook-id` is remembered: retries of one execution come well within a day. */
const SEEN_FOR_MS = 24 * 3600 * 1000;

export function createReceiver(options: ReceiverOptions): Server {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  // In production keep this in your database (a unique key on webhook-id), not in memory.
  const seen = new Map<string, number>();

  const handle = async (request: IncomingMessage, response: ServerResponse, raw: Buffer): Promise<void> => {
    const header = (name: string): string => String(request.headers[name] ?? '');
    const id = header('webhook-id');
    const body = raw.toString('utf8'); // the bytes as sent: never re-serialize before verifying
    const authentic = options.secrets.some((secret) =>
      verifyWebhook({ id, timestamp: header('webhook-timestamp'), body, signatureHeader: header('webhook-signature'), secret, toleranceSeconds: options.toleranceSeconds ?? 300 }),
    );
    if (!authentic) {
      // A 4xx other than 408/425/429: Tock does not retry it.
      response.writeHead(401, { 'content-type': 'text/plain' }).end('signature or timestamp not valid');
      return;
    }
    const now = Date.now();
    for (const [key, at] of seen) if (at < now - SEEN_FOR_MS) seen.delete(key);
    if (seen.has(id)) {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('duplicate');
      return;
    }
    await options.onDelivery({ id, taskId: header('x-tock-task-id'), attempt: Number(header('x-tock-attempt')), body });
    seen.set(id, now); // only once handled: a failed attempt is retried and must get through
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  };

  return createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        response.writeHead(413).end();
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      handle(request, response, Buffer.concat(chunks)).catch(() => {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' }).end('failed; retry');
      });
    });
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const secrets = [process.env.TOCK_SIGNING_SECRET, process.env.TOCK_PREVIOUS_SIGNING_SECRET].filter((s): s is string => Boolean(s));
  if (secrets.length === 0) throw new Error('set TOCK_SIGNING_SECRET to the secret GET /v1/signing-secret returns');
  const port = Number(process.env.PORT ?? 4000);
  createReceiver({
    secrets,
    onDelivery: ({ id, taskId, attempt, body }) => console.log(new Date().toISOString(), id, taskId, `attempt ${attempt}`, body),
  }).listen(port, '127.0.0.1', () => console.log(`receiver listening on http://127.0.0.1:${port}`));
}
