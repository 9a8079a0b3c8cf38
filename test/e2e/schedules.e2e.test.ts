import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from '../support/stack';
import { until } from '../support/until';
import type { RunningStack } from '../support/stack';
import { apiClient } from '../support/api';
import type { ApiClient } from '../support/api';
import { startWebhookReceiver } from '../support/webhookReceiver';
import type { ReceivedRequest, WebhookReceiver } from '../support/webhookReceiver';

/** Schedule policies (issue 4) driven over HTTP against the real local stack. */
let stack: RunningStack;
let receiver: WebhookReceiver;
let api: ApiClient;
let token: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hits = (path: string): ReceivedRequest[] => receiver.requests.filter((r) => r.path === path);
const scheduledFor = (r: ReceivedRequest) => Date.parse(r.headers['x-tock-scheduled-for']!);

async function create(path: string, body: Record<string, unknown>): Promise<string> {
  const res = await api.call('POST', '/v1/tasks', { target: { type: 'http', url: `${receiver.url}${path}` }, ...body }, { token });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json.taskId as string;
}


async function ledger(taskId: string): Promise<Array<{ status: string; skipReason?: string; scheduledFor: string }>> {
  const res = await api.call('GET', `/v1/tasks/${taskId}/executions?include=skipped&limit=100`, undefined, { token });
  return res.json.items;
}

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  stack = await startStack();
  api = apiClient(stack.baseUrl);
  token = await api.token('scheduler-user');
}, 120_000);

afterAll(async () => {
  await stack?.dispose();
  await receiver?.close();
});

describe('window and count', () => {
  it('should complete a task after maxRuns runs and say why', async () => {
    const taskId = await create('/max', { schedule: '* * * * * *', maxRuns: 3 });
    const task = await until(async () => {
      const t = (await api.call('GET', `/v1/tasks/${taskId}`, undefined, { token })).json;
      return t.status === 'COMPLETED' ? t : undefined;
    }, 15_000, 'maxRuns to complete the task');
    expect(task.statusReason).toContain('maxRuns');
    expect(task.nextRunAt).toBeNull();
    await sleep(2000);
    expect(hits('/max')).toHaveLength(3);
  });

  it('should not run before startAt nor after endAt', async () => {
    const startAt = new Date(Math.ceil((Date.now() + 3000) / 1000) * 1000);
    const endAt = new Date(startAt.getTime() + 2000);
    const taskId = await create('/window', { schedule: '* * * * * *', startAt: startAt.toISOString(), endAt: endAt.toISOString() });
    const created = (await api.call('GET', `/v1/tasks/${taskId}`, undefined, { token })).json;
    expect(created.nextRunAt).toBe(startAt.toISOString());
    await until(async () => {
      const t = (await api.call('GET', `/v1/tasks/${taskId}`, undefined, { token })).json;
      return t.status === 'COMPLETED' ? t : undefined;
    }, 15_000, 'endAt to complete the task');
    await sleep(1500);
    const times = hits('/window').map(scheduledFor);
    expect(times.length).toBeGreaterThanOrEqual(2);
    for (const t of times) {
      expect(t).toBeGreaterThanOrEqual(startAt.getTime());
      expect(t).toBeLessThanOrEqual(endAt.getTime());
    }
  });

  it('should refuse an endAt before startAt, naming the field', async () => {
    const res = await api.call(
      'POST',
      '/v1/tasks',
      { schedule: '* * * * *', startAt: '2030-01-02T00:00:00Z', endAt: '2030-01-01T00:00:00Z', target: { type: 'http', url: `${receiver.url}/x` } },
      { token },
    );
    expect(res.status).toBe(400);
    expect(res.json.errors.map((e: { path: string }) => e.path)).toContain('endAt');
  });
});

describe('overlap', () => {
  it('should skip occurrences while the previous execution runs (SKIP) and record them in the ledger', async () => {
    receiver.respond('/skip', [{ status: 200, delayMs: 2500 }]);
    const taskId = await create('/skip', { schedule: '* * * * * *', overlapPolicy: 'SKIP' });
    await sleep(7000);
    await api.call('DELETE', `/v1/tasks/${taskId}`, undefined, { token }).catch(() => undefined);
    const starts = hits('/skip').map((r) => r.receivedAt);
    expect(starts.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(2400);
  }, 30_000);

  it('should list the skipped occurrences with their reason only when asked', async () => {
    receiver.respond('/skip2', [{ status: 200, delayMs: 2500 }]);
    const taskId = await create('/skip2', { schedule: '* * * * * *', overlapPolicy: 'SKIP' });
    const skipped = await until(async () => {
      const items = (await ledger(taskId)).filter((e) => e.status === 'SKIPPED');
      return items.length >= 2 ? items : undefined;
    }, 15_000, 'skipped occurrences in the ledger');
    expect(skipped[0]!.skipReason).toBe('OVERLAP');
    const plain = (await api.call('GET', `/v1/tasks/${taskId}/executions?limit=100`, undefined, { token })).json.items;
    expect(plain.every((e: { status: string }) => e.status !== 'SKIPPED')).toBe(true);
    await api.call('DELETE', `/v1/tasks/${taskId}`, undefined, { token });
  }, 30_000);

  it('should run one buffered occurrence right after the previous finishes (BUFFER_ONE)', async () => {
    receiver.respond('/buffer', [{ status: 200, delayMs: 3000 }]);
    const taskId = await create('/buffer', { schedule: '* * * * * *', overlapPolicy: 'BUFFER_ONE' });
    await receiver.waitForCount((r) => r.path === '/buffer', 2, 15_000);
    await api.call('DELETE', `/v1/tasks/${taskId}`, undefined, { token });
    const [first, second] = hits('/buffer');
    const gap = second!.receivedAt - first!.receivedAt;
    expect(gap).toBeGreaterThanOrEqual(2900);
    expect(gap).toBeLessThan(6500);
  }, 30_000);
});

describe('pause and catch-up', () => {
  it('should record the occurrences missed while paused and run on from now after resume', async () => {
    const taskId = await create('/paused', { schedule: '* * * * * *' });
    await receiver.waitFor((r) => r.path === '/paused', 10_000);
    await api.call('POST', `/v1/tasks/${taskId}/pause`, undefined, { token });
    await sleep(3000);
    const resumedAt = Date.now();
    const resumed = await api.call('POST', `/v1/tasks/${taskId}/resume`, undefined, { token });
    expect(resumed.json.status).toBe('ACTIVE');
    const missed = (await ledger(taskId)).filter((e) => e.skipReason === 'PAUSED');
    expect(missed.length).toBeGreaterThanOrEqual(2);
    await receiver.waitFor((r) => r.path === '/paused' && r.receivedAt > resumedAt, 10_000);
    await api.call('DELETE', `/v1/tasks/${taskId}`, undefined, { token });
  }, 30_000);

  it('should run only the latest missed occurrence after downtime (LATEST) and record the rest', async () => {
    const taskId = await create('/down', { schedule: '*/2 * * * * *' });
    await receiver.waitFor((r) => r.path === '/down', 10_000);
    await stack.kill('SIGKILL');
    const downAt = Date.now();
    await sleep(9000);
    await stack.restart();
    api = apiClient(stack.baseUrl);
    const after = await receiver.waitFor((r) => r.path === '/down' && r.receivedAt > downAt + 6000, 20_000);
    expect(scheduledFor(after)).toBeGreaterThan(downAt);
    const caughtUp = await until(async () => {
      const items = (await ledger(taskId)).filter((e) => e.skipReason === 'CATCH_UP');
      return items.length >= 1 ? items : undefined;
    }, 10_000, 'the catch-up ledger');
    expect(caughtUp.length).toBeGreaterThanOrEqual(2);
    const runTimes = hits('/down').map(scheduledFor);
    expect(new Set(runTimes).size).toBe(runTimes.length);
    // LATEST: of the occurrences missed while down, only the latest ran.
    const missedAndRun = runTimes.filter((t) => t > downAt + 1000 && t < downAt + 8000);
    expect(missedAndRun.length).toBeLessThanOrEqual(1);
    await api.call('DELETE', `/v1/tasks/${taskId}`, undefined, { token });
  }, 90_000);
});

describe('jitter', () => {
  it('should spread runs after their due time, never before', async () => {
    const taskId = await create('/jitter', { schedule: '*/2 * * * * *', jitterSeconds: 1 });
    await receiver.waitForCount((r) => r.path === '/jitter', 4, 20_000);
    await api.call('DELETE', `/v1/tasks/${taskId}`, undefined, { token });
    const lags = hits('/jitter').map((r) => r.receivedAt - scheduledFor(r));
    for (const lag of lags) expect(lag).toBeGreaterThanOrEqual(0);
    expect(new Set(lags.map((l) => Math.round(l / 100))).size).toBeGreaterThan(1);
  }, 30_000);
});
