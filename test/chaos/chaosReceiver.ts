import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How a target answers one execution's attempts (chosen from its webhook-id). */
export type Behaviour = 'ok' | 'unavailable-once' | 'error-twice' | 'bad-request' | 'slow-once' | 'always-error';

export const BEHAVIOUR_WEIGHTS: ReadonlyArray<readonly [Behaviour, number]> = [
  ['ok', 74],
  ['unavailable-once', 8],
  ['error-twice', 5],
  ['bad-request', 4],
  ['slow-once', 4],
  ['always-error', 5],
];

/** One request the target got. */
export interface ReceivedRequest {
  readonly executionId: string;
  readonly taskId: string;
  readonly attempt: number;
  /** x-tock-scheduled-for, epoch ms. */
  readonly scheduledFor: number;
  /** Date.now() when the request's headers arrived. */
  readonly receivedAt: number;
  readonly status: number;
  readonly body: string;
}

export interface ChaosReceiver {
  readonly url: string;
  readonly requests: readonly ReceivedRequest[];
  /** Resolves once the request of (execution, attempt) has arrived, or after `timeoutMs`. */
  arrived(executionId: string, attempt: number, timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function behaviourOf(executionId: string): Behaviour {
  const total = BEHAVIOUR_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
  let point = hash(executionId) % total;
  for (const [behaviour, weight] of BEHAVIOUR_WEIGHTS) {
    if (point < weight) return behaviour;
    point -= weight;
  }
  return 'ok';
}

function answerFor(behaviour: Behaviour, attempt: number, slowMs: number): { status: number; delayMs: number; headers: Record<string, string> } {
  switch (behaviour) {
    case 'unavailable-once':
      return attempt === 1 ? { status: 503, delayMs: 0, headers: { 'retry-after': '1' } } : { status: 200, delayMs: 0, headers: {} };
    case 'error-twice':
      return attempt <= 2 ? { status: 500, delayMs: 0, headers: {} } : { status: 200, delayMs: 0, headers: {} };
    case 'bad-request':
      return { status: 400, delayMs: 0, headers: {} };
    case 'slow-once':
      return { status: 200, delayMs: attempt === 1 ? slowMs : 0, headers: {} };
    case 'always-error':
      return { status: 500, delayMs: 0, headers: {} };
    default:
      return { status: 200, delayMs: 0, headers: {} };
  }
}

/**
 * A loopback target whose answers depend on the execution and the attempt, and that records
 * every request (the evidence the invariants are checked against).
 */
export async function startChaosReceiver(options: { slowMs: number }): Promise<ChaosReceiver> {
  const requests: ReceivedRequest[] = [];
  const waiters = new Map<string, Array<() => void>>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const receivedAt = Date.now();
    const header = (name: string): string => String(request.headers[name] ?? '');
    const executionId = header('webhook-id');
    const attempt = Number(header('x-tock-attempt'));
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = answerFor(behaviourOf(executionId), attempt, options.slowMs);
      requests.push({
        executionId,
        taskId: header('x-tock-task-id'),
        attempt,
        scheduledFor: Date.parse(header('x-tock-scheduled-for')),
        receivedAt,
        status: answer.status,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const key = `${executionId}#${attempt}`;
      for (const wake of waiters.get(key) ?? []) wake();
      waiters.delete(key);
      const send = (): void => {
        if (response.destroyed) return;
        response.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
        response.end(answer.status < 300 ? 'ok' : 'no');
      };
      if (answer.delayMs > 0) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    arrived(executionId, attempt, timeoutMs) {
      if (requests.some((r) => r.executionId === executionId && r.attempt === attempt)) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const key = `${executionId}#${attempt}`;
        const timer = setTimeout(() => resolve(false), timeoutMs);
        waiters.set(key, [...(waiters.get(key) ?? []), () => (clearTimeout(timer), resolve(true))]);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
