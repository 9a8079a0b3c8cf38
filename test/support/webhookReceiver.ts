import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** Path and query as sent. */
  readonly url: string;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as UTF-8 text, and the raw bytes. */
  readonly body: string;
  readonly rawBody: Buffer;
  /** Date.now() when the request line and headers arrived (before the body). */
  readonly receivedAt: number;
}

/** How to answer one request. */
export interface ResponseStep {
  /** @default 200 */
  readonly status?: number;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sets Retry-After (seconds, or an HTTP date). */
  readonly retryAfter?: number | string;
  /** Wait this long before answering (a slow or hanging target). */
  readonly delayMs?: number;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>` (no trailing slash): a target URL is `${receiver.url}/some/path`. */
  readonly url: string;
  /** Every request so far, in arrival order. */
  readonly requests: readonly ReceivedRequest[];
  /**
   * Answers the requests to `path` with `steps` in order; the last step repeats. Unprogrammed
   * paths answer 200 with an empty body.
   */
  respond(path: string, steps: readonly ResponseStep[]): void;
  /** Resolves with the first request (already received or still to come) that matches. */
  waitFor(predicate: (request: ReceivedRequest) => boolean, timeoutMs?: number): Promise<ReceivedRequest>;
  /** Resolves with every matching request once there are at least `count` of them. */
  waitForCount(predicate: (request: ReceivedRequest) => boolean, count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  /** Forgets the recorded requests and programmed responses. */
  reset(): void;
  close(): Promise<void>;
}

/** Starts a loopback HTTP receiver on a free port (127.0.0.1). */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const plans = new Map<string, { steps: readonly ResponseStep[]; served: number }>();
  const listeners = new Set<() => void>();

  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const receivedAt = Date.now();
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = request.url ?? '/';
      const path = url.split('?')[0]!;
      const rawBody = Buffer.concat(chunks);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      requests.push({ method: request.method ?? 'GET', path, url, headers, body: rawBody.toString('utf8'), rawBody, receivedAt });
      for (const listener of listeners) listener();

      const plan = plans.get(path);
      const step: ResponseStep = plan ? (plan.steps[Math.min(plan.served, plan.steps.length - 1)] ?? {}) : {};
      if (plan) plan.served += 1;
      const answer = (): void => {
        if (response.destroyed) return;
        const headers: Record<string, string> = { 'content-type': 'text/plain', ...step.headers };
        if (step.retryAfter !== undefined) headers['retry-after'] = String(step.retryAfter);
        response.writeHead(step.status ?? 200, headers);
        response.end(step.body ?? '');
      };
      if (step.delayMs) setTimeout(answer, step.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, resolve));
  const { port } = server.address() as AddressInfo;

  const waitForCount = (predicate: (request: ReceivedRequest) => boolean, count: number, timeoutMs = 10_000): Promise<ReceivedRequest[]> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const matching = requests.filter(predicate);
        if (matching.length < count) return false;
        cleanup();
        resolve(matching);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`webhook receiver: expected ${count} matching request(s) within ${timeoutMs} ms, got ${requests.filter(predicate).length} (of ${requests.length} received)`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        listeners.delete(listener);
      };
      const listener = (): void => void check();
      listeners.add(listener);
      check();
    });

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respond(path, steps) {
      if (steps.length === 0) throw new Error('respond() needs at least one step');
      plans.set(path, { steps, served: 0 });
    },
    waitFor: async (predicate, timeoutMs) => (await waitForCount(predicate, 1, timeoutMs))[0]!,
    waitForCount,
    reset() {
      requests.length = 0;
      plans.clear();
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
