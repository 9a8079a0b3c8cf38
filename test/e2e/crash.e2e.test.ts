import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/api';
import type { Json } from '../support/api';
import { startStack } from '../support/stack';
import type { RunningStack } from '../support/stack';
import { startWebhookReceiver } from '../support/webhookReceiver';
import type { ReceivedRequest, WebhookReceiver } from '../support/webhookReceiver';

/**
 * Crash recovery on `npm start`'s stack (issue 3, item 7): kill -9 of the whole stack, before a
 * task falls due and while an attempt is in flight, and a burst of tasks due at the same second.
 * The attempt time-out is 5 s here, so a lost attempt's lease (time-out + 15 s) runs out in 20 s.
 */
const MAX_ATTEMPT_SECONDS = 5;
const LEASE_MS = (MAX_ATTEMPT_SECONDS + 15) * 1000;

let stack: RunningStack;
let receiver: WebhookReceiver;
const tokens = new Map<string, string>();

async function api(method: string, path: string, userId: string, body?: unknown) {
  return call<Json>(method, path, body, { baseUrl: stack.baseUrl, token: tokens.get(userId)! });
}

/** A whole second at least `seconds` from now, as at() takes it. */
function dueIn(seconds: number): Date {
  return new Date(Math.ceil((Date.now() + seconds * 1000) / 1000) * 1000);
}

function atOf(due: Date): string {
  return `at(${due.toISOString().replace('.000Z', 'Z')})`;
}

async function createTask(userId: string, path: string, due: Date, overrides: Record<string, unknown> = {}): Promise<string> {
  for (let round = 1; ; round++) {
    const res = await api('POST', '/v1/tasks', userId, { schedule: atOf(due), target: { type: 'http', url: `${receiver.url}${path}` }, payload: { path }, ...overrides });
    if (res.status === 201) return res.json.taskId as string;
    if (res.status !== 429 || round > 20) throw new Error(`POST /v1/tasks answered ${res.status}: ${res.text}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function settledExecution(userId: string, taskId: string, timeoutMs: number): Promise<Json> {
  return until(
    async () => {
      const list = await api('GET', `/v1/tasks/${taskId}/executions`, userId);
      const execution = list.json?.items?.[0];
      if (!execution || !['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(execution.status)) return undefined;
      return (await api('GET', `/v1/tasks/${taskId}/executions/${execution.executionId}`, userId)).json;
    },
    timeoutMs,
    `task ${taskId} to settle`,
  );
}

async function restartAfterKill(): Promise<number> {
  const exit = await stack.kill('SIGKILL');
  expect(exit.signal).toBe('SIGKILL');
  const began = Date.now();
  await stack.restart();
  return Date.now() - began;
}

const delivered = (path: string) => (r: ReceivedRequest) => r.path === path;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  stack = await startStack({ env: { TOCK_MAX_ATTEMPT_TIMEOUT_SECONDS: String(MAX_ATTEMPT_SECONDS) } });
  for (const userId of ['ada', 'ben', 'cy', 'dee']) tokens.set(userId, (await call<Json>('POST', `${stack.baseUrl}/local/token`, { userId })).json.token as string);
  // The scanners save their cursor (with the queue it goes with) every 5 s: let them have one.
  await new Promise((resolve) => setTimeout(resolve, 6_000));
}, 120_000);

afterAll(async () => {
  await stack?.dispose();
  await receiver?.close();
});

describe('kill -9 of the local stack', () => {
  it('should run a task that fell due while the stack was down, once, as soon as it is back', async () => {
    // Prepare
    const due = dueIn(6);
    const taskId = await createTask('ada', '/down', due);

    // Act: killed before it is due, back after
    const exit = await stack.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due.getTime() + 2_000 - Date.now())));
    await stack.restart();
    const back = Date.now();
    const first = await receiver.waitFor(delivered('/down'), 30_000);
    const execution = await settledExecution('ada', taskId, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    // Assess
    expect(exit.signal).toBe('SIGKILL');
    expect(first.receivedAt).toBeGreaterThanOrEqual(due.getTime());
    expect(first.receivedAt - back).toBeLessThan(10_000);
    expect(receiver.requests.filter(delivered('/down'))).toHaveLength(1);
    expect(execution).toMatchObject({ status: 'SUCCEEDED', attempt: 1, scheduledFor: due.toISOString() });
    expect((await api('GET', `/v1/tasks/${taskId}/executions`, 'ada')).json.items).toHaveLength(1);
    console.log(`due while down: delivered ${first.receivedAt - back} ms after the restarted stack was ready`);
  }, 90_000);

  it('should retry an attempt that was in flight with the same webhook-id, and end SUCCEEDED with one execution', async () => {
    // Prepare: the target holds the first request past the kill, then answers at once
    receiver.respond('/slow', [{ status: 200, delayMs: 120_000 }, { status: 200 }]);
    const due = dueIn(3);
    const taskId = await createTask('ben', '/slow', due, { target: { type: 'http', url: `${receiver.url}/slow`, timeoutSeconds: MAX_ATTEMPT_SECONDS } });
    const first = await receiver.waitFor(delivered('/slow'), 20_000);

    // Act
    const restartMs = await restartAfterKill();
    const second = await receiver.waitFor((r) => r.path === '/slow' && r !== first, LEASE_MS + 30_000);
    const execution = await settledExecution('ben', taskId, 20_000);

    // Assess: the same execution, its second attempt, once the first one's lease had run out
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(first.headers['x-tock-attempt']).toBe('1');
    expect(second.headers['x-tock-attempt']).toBe('2');
    expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(LEASE_MS - 1_000);
    expect(second.receivedAt - first.receivedAt).toBeLessThan(LEASE_MS + 15_000);
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.executionId).toBe(first.headers['webhook-id']);
    expect(execution.attempts.map((a: Json) => a.outcome)).toEqual(['LOST', 'SUCCEEDED']);
    expect((await api('GET', `/v1/tasks/${taskId}/executions`, 'ben')).json.items).toHaveLength(1);
    console.log(`in-flight attempt recovered ${second.receivedAt - first.receivedAt} ms after it started (restart took ${restartMs} ms)`);
  }, 120_000);

  it('should deliver each of 200 tasks due at the same second exactly once', async () => {
    // Prepare: 200 tasks for four users, all due at one second
    const due = dueIn(25);
    const users = [...tokens.keys()];
    const ids: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < 200) {
          const i = next++;
          ids.push(await createTask(users[i % users.length]!, `/burst/${i}`, due));
        }
      }),
    );
    expect(Date.now()).toBeLessThan(due.getTime());

    // Act
    const burst = await receiver.waitForCount((r) => r.path.startsWith('/burst/'), 200, 60_000 + Math.max(0, due.getTime() - Date.now()));
    await new Promise((resolve) => setTimeout(resolve, 5_000));

    // Assess
    const requests = receiver.requests.filter((r) => r.path.startsWith('/burst/'));
    const webhookIds = new Set(requests.map((r) => r.headers['webhook-id']));
    const paths = new Set(requests.map((r) => r.path));
    expect(requests).toHaveLength(200);
    expect(webhookIds.size).toBe(200);
    expect(paths.size).toBe(200);
    for (const request of requests) expect(request.receivedAt).toBeGreaterThanOrEqual(due.getTime());
    const lags = burst.map((r) => r.receivedAt - due.getTime()).sort((a, b) => a - b);
    console.log(`200 due at one second: first after ${lags[0]} ms, p50 ${lags[99]} ms, last after ${lags[199]} ms`);
    expect(ids).toHaveLength(200);
  }, 150_000);
});
