import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from '../support/stack';
import { until } from '../support/until';
import type { RunningStack } from '../support/stack';
import { startWebhookReceiver } from '../support/webhookReceiver';
import type { WebhookReceiver } from '../support/webhookReceiver';
import { verifyWebhook } from '../../lambdas/delivery/webhookSignature';

/**
 * The contract (CONTRACT.md) driven over HTTP against `npm start`'s stack, as a user would:
 * auth, errors, tasks, executions and delivery.
 */
let stack: RunningStack;
let receiver: WebhookReceiver;
let alice: string;
let bob: string;

async function api(method: string, path: string, options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${stack.baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
  let json: any = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

async function tokenFor(userId: string): Promise<string> {
  const res = await api('POST', '/local/token', { body: { userId } });
  expect(res.status).toBe(200);
  return res.json.token as string;
}

function inSeconds(seconds: number): string {
  return new Date(Math.ceil((Date.now() + seconds * 1000) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function task(path: string, overrides: Record<string, unknown> = {}) {
  return {
    name: 'e2e',
    schedule: `at(${inSeconds(3600)})`,
    target: { type: 'http', url: `${receiver.url}${path}` },
    payload: { hello: 'world' },
    ...overrides,
  };
}


beforeAll(async () => {
  receiver = await startWebhookReceiver();
  stack = await startStack();
  alice = await tokenFor('alice');
  bob = await tokenFor('bob');
}, 120_000);

afterAll(async () => {
  await stack?.dispose();
  await receiver?.close();
});

describe('running it locally', () => {
  it('should answer /health with 200 when every component is ready', async () => {
    const res = await api('GET', '/health');
    expect(res.status).toBe(200);
  });
});

describe('auth', () => {
  it('should refuse a missing, malformed or badly signed token with a 401 problem', async () => {
    for (const authorization of [undefined, 'Bearer nope', `Bearer ${alice.slice(0, -4)}AAAA`, 'Basic abc']) {
      const res = await api('GET', '/v1/tasks', { headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.json).toMatchObject({ status: 401, title: expect.any(String), type: expect.any(String), detail: expect.any(String) });
    }
  });

  it("should answer 404 for someone else's task on every route, never 403", async () => {
    const created = await api('POST', '/v1/tasks', { token: alice, body: task('/isolation') });
    const id = created.json.taskId as string;
    const attempts = [
      api('GET', `/v1/tasks/${id}`, { token: bob }),
      api('PATCH', `/v1/tasks/${id}`, { token: bob, body: { name: 'mine' } }),
      api('POST', `/v1/tasks/${id}/pause`, { token: bob }),
      api('POST', `/v1/tasks/${id}/resume`, { token: bob }),
      api('POST', `/v1/tasks/${id}/trigger`, { token: bob }),
      api('GET', `/v1/tasks/${id}/executions`, { token: bob }),
      api('DELETE', `/v1/tasks/${id}`, { token: bob }),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(404);
    const list = await api('GET', '/v1/tasks?limit=100', { token: bob });
    expect(list.json.items.map((t: { taskId: string }) => t.taskId)).not.toContain(id);
    expect((await api('GET', `/v1/tasks/${id}`, { token: alice })).json.name).toBe('e2e');
  });
});

describe('errors', () => {
  it('should refuse bad input with a 400 problem that names the field, and store nothing', async () => {
    const before = await api('GET', '/v1/tasks?limit=100', { token: alice });
    const cases: Array<[unknown, string]> = [
      [{ ...task('/x'), schedule: 'cron(61 * * * ? *)' }, 'schedule'],
      [{ ...task('/x'), timezone: 'Mars/Olympus' }, 'timezone'],
      [{ ...task('/x'), target: { type: 'http', url: 'ftp://example.com' } }, 'target.url'],
      [{ ...task('/x'), target: { type: 'http', url: 'http://10.0.0.1/' } }, 'target.url'],
      [{ ...task('/x'), name: 'x'.repeat(300) }, 'name'],
      [{ ...task('/x'), retryPolicy: { maxAttempts: 21 } }, 'retryPolicy.maxAttempts'],
      [{ ...task('/x'), surprise: true }, 'surprise'],
      [{ ...task('/x'), schedule: `at(${new Date(Date.now() - 120_000).toISOString()})` }, 'schedule'],
    ];
    for (const [body, field] of cases) {
      const res = await api('POST', '/v1/tasks', { token: alice, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    const malformed = await api('POST', '/v1/tasks', { token: alice, raw: '{"name":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    const after = await api('GET', '/v1/tasks?limit=100', { token: alice });
    expect(after.json.items.length).toBe(before.json.items.length);
  });

  it('should refuse a payload over 1 MiB with 413 and store nothing', async () => {
    const res = await api('POST', '/v1/tasks', { token: alice, body: task('/big', { payload: 'x'.repeat(1024 * 1024 + 10) }) });
    expect(res.status).toBe(413);
    expect(res.json.status).toBe(413);
  });
});

describe('tasks', () => {
  it('should create, read, update with If-Match, and delete a task', async () => {
    const created = await api('POST', '/v1/tasks', { token: alice, body: task('/crud', { timezone: 'Europe/Berlin' }) });
    expect(created.status).toBe(201);
    const t = created.json;
    expect(t).toMatchObject({ name: 'e2e', status: 'ACTIVE', version: 1, timezone: 'Europe/Berlin', payload: { hello: 'world' }, lastExecution: null });
    expect(t.retryPolicy).toMatchObject({ maxAttempts: 3, backoffSeconds: 2 });
    expect(t.target).toMatchObject({ method: 'POST', timeoutSeconds: 30 });
    expect(typeof t.nextRunAt).toBe('string');

    const stale = await api('PATCH', `/v1/tasks/${t.taskId}`, { token: alice, body: { name: 'renamed' }, headers: { 'if-match': '7' } });
    expect(stale.status).toBe(412);
    const patched = await api('PATCH', `/v1/tasks/${t.taskId}`, {
      token: alice,
      body: { name: 'renamed', schedule: 'cron(0 9 * * ? *)' },
      headers: { 'if-match': '1' },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ name: 'renamed', version: 2 });
    expect(patched.json.nextRunAt).toMatch(/T0[78]:00:00/); // 09:00 Berlin is 07:00 or 08:00 UTC

    const deleted = await api('DELETE', `/v1/tasks/${t.taskId}`, { token: alice });
    expect(deleted.status).toBe(204);
    expect((await api('GET', `/v1/tasks/${t.taskId}`, { token: alice })).status).toBe(404);
  });

  it('should return the same task for the same Idempotency-Key and body, and 409 for another body', async () => {
    const body = task('/idem');
    const headers = { 'idempotency-key': `key-${Date.now()}` };
    const first = await api('POST', '/v1/tasks', { token: alice, body, headers });
    const again = await api('POST', '/v1/tasks', { token: alice, body, headers });
    expect(first.status).toBe(201);
    expect(again.json.taskId).toBe(first.json.taskId);
    const other = await api('POST', '/v1/tasks', { token: alice, body: { ...body, name: 'other' }, headers });
    expect(other.status).toBe(409);
  });

  it('should page through the list without payloads', async () => {
    const token = await tokenFor(`pager-${Date.now()}`);
    for (let i = 0; i < 5; i++) await api('POST', '/v1/tasks', { token, body: task('/page', { name: `t${i}` }) });
    const seen: string[] = [];
    let next: string | null = null;
    do {
      const page = await api('GET', `/v1/tasks?limit=2${next ? `&nextToken=${encodeURIComponent(next)}` : ''}`, { token });
      expect(page.status).toBe(200);
      for (const item of page.json.items) {
        expect(item.payload).toBeUndefined();
        seen.push(item.taskId);
      }
      next = page.json.nextToken;
    } while (next);
    expect(new Set(seen).size).toBe(5);
    const paused = await api('GET', '/v1/tasks?status=PAUSED', { token });
    expect(paused.json.items).toEqual([]);
  });

  it('should preview the next runs as the scanner would fire them', async () => {
    const res = await api('POST', '/v1/schedules/preview', {
      token: alice,
      body: { schedule: 'cron(30 2 * * ? *)', timezone: 'America/New_York', from: '2025-03-08T12:00:00Z', count: 3 },
    });
    expect(res.status).toBe(200);
    expect(res.json.runs).toEqual(['2025-03-09T07:00:00.000Z', '2025-03-10T06:30:00.000Z', '2025-03-11T06:30:00.000Z']);
    expect((await api('POST', '/v1/schedules/preview', { token: alice, body: { schedule: 'nonsense' } })).status).toBe(400);
  });
});

describe('delivery and executions', () => {
  it('should post a one-shot payload exactly once, signed, within 1 s after its due time and never before', async () => {
    const due = inSeconds(3);
    const created = await api('POST', '/v1/tasks', { token: alice, body: task('/once', { schedule: `at(${due})`, payload: { n: 1 } }) });
    const taskId = created.json.taskId as string;
    const hit = await receiver.waitFor((r) => r.path === '/once', 15_000);
    const lagMs = hit.receivedAt - Date.parse(due);
    expect(lagMs).toBeGreaterThanOrEqual(0);
    expect(lagMs).toBeLessThan(1000);
    expect(JSON.parse(hit.body)).toEqual({ n: 1 });
    expect(hit.headers['x-tock-task-id']).toBe(taskId);
    expect(hit.headers['x-tock-attempt']).toBe('1');
    expect(hit.headers['x-tock-scheduled-for']).toBe(new Date(due).toISOString());
    const secret = (await api('GET', '/v1/signing-secret', { token: alice })).json.secret as string;
    expect(
      verifyWebhook({ id: hit.headers['webhook-id']!, timestamp: hit.headers['webhook-timestamp']!, body: hit.body, signatureHeader: hit.headers['webhook-signature']!, secret }),
    ).toBe(true);

    const done = await until(async () => {
      const t = await api('GET', `/v1/tasks/${taskId}`, { token: alice });
      return t.json.status === 'COMPLETED' ? t.json : undefined;
    }, 10_000, 'the one-shot task to complete');
    expect(done.nextRunAt).toBeNull();
    expect(done.lastExecution).toMatchObject({ status: 'SUCCEEDED', attempt: 1, result: { statusCode: 200 } });
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.requests.filter((r) => r.path === '/once')).toHaveLength(1);
    const executions = await api('GET', `/v1/tasks/${taskId}/executions`, { token: alice });
    expect(executions.json.items).toHaveLength(1);
    const detail = await api('GET', `/v1/tasks/${taskId}/executions/${executions.json.items[0].executionId}`, { token: alice });
    expect(detail.json.attempts).toHaveLength(1);
    expect(detail.json.executionId).toBe(hit.headers['webhook-id']);
  });

  it('should run */2 * * * * * every two seconds and stop at DELETE', async () => {
    const created = await api('POST', '/v1/tasks', { token: alice, body: task('/every2', { schedule: '*/2 * * * * *' }) });
    const taskId = created.json.taskId as string;
    await until(async () => (receiver.requests.filter((r) => r.path === '/every2').length >= 3 ? true : undefined), 15_000, 'three runs');
    const deleted = await api('DELETE', `/v1/tasks/${taskId}`, { token: alice });
    const deletedAt = Date.now();
    expect(deleted.status).toBe(204);
    const runs = receiver.requests.filter((r) => r.path === '/every2');
    const seconds = runs.map((r) => Date.parse(r.headers['x-tock-scheduled-for']!) / 1000);
    for (const s of seconds) expect(s % 2).toBe(0);
    expect(new Set(runs.map((r) => r.headers['webhook-id'])).size).toBe(runs.length);
    await new Promise((r) => setTimeout(r, 4000));
    const late = receiver.requests.filter((r) => r.path === '/every2' && r.receivedAt > deletedAt + 200);
    expect(late).toHaveLength(0);
  });

  it('should retry 500, 500, 200 with the same webhook-id and end SUCCEEDED after 3 attempts', async () => {
    receiver.respond('/flaky', [{ status: 500 }, { status: 500 }, { status: 200 }]);
    const created = await api('POST', '/v1/tasks', {
      token: alice,
      body: task('/flaky', { schedule: `at(${inSeconds(2)})`, retryPolicy: { maxAttempts: 3, backoffSeconds: 1, maxBackoffSeconds: 2 } }),
    });
    const taskId = created.json.taskId as string;
    const execution = await until(async () => {
      const list = await api('GET', `/v1/tasks/${taskId}/executions`, { token: alice });
      const e = list.json.items[0];
      return e?.status === 'SUCCEEDED' ? e : undefined;
    }, 30_000, 'the flaky execution to succeed');
    expect(execution.attempt).toBe(3);
    const hits = receiver.requests.filter((r) => r.path === '/flaky');
    expect(hits.map((r) => r.headers['x-tock-attempt'])).toEqual(['1', '2', '3']);
    expect(new Set(hits.map((r) => r.headers['webhook-id'])).size).toBe(1);
    const detail = await api('GET', `/v1/tasks/${taskId}/executions/${execution.executionId}`, { token: alice });
    expect(detail.json.attempts.map((a: { outcome: string; statusCode: number }) => [a.outcome, a.statusCode])).toEqual([
      ['RETRIABLE_FAILURE', 500],
      ['RETRIABLE_FAILURE', 500],
      ['SUCCEEDED', 200],
    ]);
  });

  it('should fail a 400 at once without retrying', async () => {
    receiver.respond('/bad', [{ status: 400, body: 'nope' }]);
    const created = await api('POST', '/v1/tasks', { token: alice, body: task('/bad', { schedule: `at(${inSeconds(2)})` }) });
    const taskId = created.json.taskId as string;
    const t = await until(async () => {
      const got = await api('GET', `/v1/tasks/${taskId}`, { token: alice });
      return got.json.status === 'FAILED' ? got.json : undefined;
    }, 15_000, 'the task to fail');
    expect(t.lastExecution).toMatchObject({ status: 'FAILED', attempt: 1, result: { statusCode: 400, body: 'nope' } });
    await new Promise((r) => setTimeout(r, 2500));
    expect(receiver.requests.filter((r) => r.path === '/bad')).toHaveLength(1);
    const revived = await api('PATCH', `/v1/tasks/${taskId}`, { token: alice, body: { schedule: `at(${inSeconds(3600)})` } });
    expect(revived.json).toMatchObject({ status: 'ACTIVE', version: 2 });
    expect(typeof revived.json.nextRunAt).toBe('string');
  });

  it('should run nothing while paused, cancel what was due, and trigger one run now', async () => {
    const created = await api('POST', '/v1/tasks', { token: alice, body: task('/paused', { schedule: '* * * * * *' }) });
    const taskId = created.json.taskId as string;
    const paused = await api('POST', `/v1/tasks/${taskId}/pause`, { token: alice });
    expect(paused.status).toBe(200);
    expect(paused.json).toMatchObject({ status: 'PAUSED', nextRunAt: null });
    const pausedAt = Date.now();
    expect((await api('POST', `/v1/tasks/${taskId}/trigger`, { token: alice })).status).toBe(409);
    await new Promise((r) => setTimeout(r, 2500));
    expect(receiver.requests.filter((r) => r.path === '/paused' && r.receivedAt > pausedAt + 50)).toHaveLength(0);

    const resumed = await api('POST', `/v1/tasks/${taskId}/resume`, { token: alice });
    expect(resumed.json.status).toBe('ACTIVE');
    expect(Date.parse(resumed.json.nextRunAt)).toBeGreaterThan(Date.now() - 1000);
    await api('POST', `/v1/tasks/${taskId}/pause`, { token: alice });

    const oneShot = await api('POST', '/v1/tasks', { token: alice, body: task('/triggered') });
    const triggered = await api('POST', `/v1/tasks/${oneShot.json.taskId}/trigger`, { token: alice });
    expect(triggered.status).toBe(202);
    const executionId = triggered.json.executionId as string;
    const hit = await receiver.waitFor((r) => r.path === '/triggered', 10_000);
    expect(hit.headers['webhook-id']).toBe(executionId);
    const detail = await until(async () => {
      const e = await api('GET', `/v1/tasks/${oneShot.json.taskId}/executions/${executionId}`, { token: alice });
      return e.json.status === 'SUCCEEDED' ? e.json : undefined;
    }, 10_000, 'the triggered run');
    expect(detail.attempts).toHaveLength(1);
  });

  it('should show RUNNING while a slow attempt is in flight, and RETRYING with its next attempt time after a 503', async () => {
    receiver.respond('/slow', [{ status: 503, delayMs: 2500 }, { status: 200 }]);
    const created = await api('POST', '/v1/tasks', {
      token: alice,
      body: task('/slow', { retryPolicy: { maxAttempts: 2, backoffSeconds: 3, maxBackoffSeconds: 3 } }),
    });
    const taskId = created.json.taskId as string;
    const triggered = await api('POST', `/v1/tasks/${taskId}/trigger`, { token: alice });
    const executionId = triggered.json.executionId as string;
    const seen = new Set<string>();
    const read = async () => (await api('GET', `/v1/tasks/${taskId}/executions/${executionId}`, { token: alice })).json;
    const running = await until(async () => {
      const e = await read();
      seen.add(e.status);
      return e.status === 'RUNNING' ? e : undefined;
    }, 10_000, 'the attempt to run');
    expect(running.attempt).toBe(1);
    expect(running.finishedAt).toBeNull();
    const retrying = await until(async () => {
      const e = await read();
      return e.status === 'RETRYING' ? e : undefined;
    }, 10_000, 'the execution to wait for its retry');
    expect(retrying.result).toMatchObject({ statusCode: 503 });
    expect(Date.parse(retrying.nextAttemptAt)).toBeGreaterThan(Date.now() - 2000);
    const done = await until(async () => {
      const e = await read();
      return e.status === 'SUCCEEDED' ? e : undefined;
    }, 20_000, 'the retry to succeed');
    expect(done.attempt).toBe(2);
    const listed = await api('GET', `/v1/tasks/${taskId}/executions`, { token: alice });
    expect(listed.json.items.map((e: { executionId: string }) => e.executionId)).toEqual([executionId]);
  });
});
