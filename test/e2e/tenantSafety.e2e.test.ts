import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReceiver } from '../../examples/receiver';
import type { VerifiedDelivery } from '../../examples/receiver';
import { apiClient } from '../support/api';
import type { ApiClient, Json } from '../support/api';
import { startStack } from '../support/stack';
import type { RunningStack } from '../support/stack';
import { startWebhookReceiver } from '../support/webhookReceiver';
import type { ReceivedRequest, WebhookReceiver } from '../support/webhookReceiver';

/**
 * Tenants over HTTP against `npm start`'s stack: another user's ids answer 404 on every route,
 * lists and page tokens never cross users, signing secrets are per user, and the sample receiver
 * in examples/receiver.ts accepts real deliveries and refuses everything else.
 */
let stack: RunningStack;
let api: ApiClient;
let capture: WebhookReceiver;
let alice: string;
let bob: string;

const run = randomBytes(3).toString('hex');

beforeAll(async () => {
  capture = await startWebhookReceiver();
  stack = await startStack();
  api = apiClient(stack.baseUrl);
  alice = await api.token(`alice-${run}`);
  bob = await api.token(`bob-${run}`);
}, 120_000);

afterAll(async () => {
  await stack?.dispose();
  await capture?.close();
});

function inOneHour(): string {
  return `at(${new Date(Date.now() + 3_600_000).toISOString().slice(0, 19)}Z)`;
}

async function createTask(token: string, url: string, payload: unknown = { n: 1 }): Promise<string> {
  const created = await api.call('POST', '/v1/tasks', { schedule: inOneHour(), target: { type: 'http', url }, payload }, { token });
  expect(created.status).toBe(201);
  return created.json.taskId as string;
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

async function finished(token: string, taskId: string, executionId: string): Promise<Json> {
  return until(async () => {
    const e = await api.call('GET', `/v1/tasks/${taskId}/executions/${executionId}`, undefined, { token });
    return ['SUCCEEDED', 'FAILED'].includes(e.json?.status) ? e.json : undefined;
  }, `execution ${executionId} to finish`);
}

async function listAll(token: string, path: string): Promise<string[]> {
  const ids: string[] = [];
  let next: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page: { status: number; json: Json } = await api.call('GET', `${path}${separator}limit=2${next ? `&nextToken=${encodeURIComponent(next)}` : ''}`, undefined, { token });
    expect(page.status).toBe(200);
    ids.push(...page.json.items.map((item: { taskId?: string; executionId?: string }) => item.executionId ?? item.taskId));
    next = page.json.nextToken;
  } while (next);
  return ids;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** Sends a captured delivery again, byte for byte (a replay), with optional changes. */
async function resend(to: string, hit: ReceivedRequest, changes: { body?: string } = {}): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { 'content-type': hit.headers['content-type'] ?? 'application/json' };
  for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature', 'x-tock-task-id', 'x-tock-attempt']) headers[name] = hit.headers[name]!;
  const response = await fetch(`${to}/hook`, { method: 'POST', headers, body: changes.body ?? new Uint8Array(hit.rawBody) });
  return { status: response.status, text: await response.text() };
}

describe('isolation: another user never sees or touches what is not theirs', () => {
  it("should answer 404 for another user's execution, on its own task and on theirs", async () => {
    // Prepare: alice has a task with one finished execution; bob has a task of his own
    const aliceTask = await createTask(alice, `${capture.url}/alice`);
    const triggered = await api.call('POST', `/v1/tasks/${aliceTask}/trigger`, undefined, { token: alice });
    const executionId = triggered.json.executionId as string;
    await finished(alice, aliceTask, executionId);
    const bobTask = await createTask(bob, `${capture.url}/bob`);

    // Act
    const attempts = await Promise.all([
      api.call('GET', `/v1/tasks/${aliceTask}/executions/${executionId}`, undefined, { token: bob }),
      api.call('GET', `/v1/tasks/${bobTask}/executions/${executionId}`, undefined, { token: bob }),
      api.call('GET', `/v1/tasks/${aliceTask}/executions`, undefined, { token: bob }),
      api.call('GET', `/v1/tasks/${aliceTask}/executions?include=skipped`, undefined, { token: bob }),
      api.call('GET', `/v1/tasks/${aliceTask}`, undefined, { token: bob }),
    ]);

    // Assess: 404 with nothing of alice's in it, and alice still sees everything
    for (const res of attempts) {
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.text).not.toContain(`alice-${run}`);
    }
    expect(await listAll(bob, `/v1/tasks/${bobTask}/executions`)).toEqual([]);
    expect((await api.call('GET', `/v1/tasks/${aliceTask}/executions/${executionId}`, undefined, { token: alice })).status).toBe(200);
  });

  it("should page through a user's own tasks only, and refuse another user's page token", async () => {
    // Prepare
    const carol = await api.token(`carol-${run}`);
    const dave = await api.token(`dave-${run}`);
    const carols = [];
    for (let i = 0; i < 5; i++) carols.push(await createTask(carol, `${capture.url}/carol`));
    const daves = [];
    for (let i = 0; i < 3; i++) daves.push(await createTask(dave, `${capture.url}/dave`));

    // Act
    const seenByDave = await listAll(dave, '/v1/tasks');
    const seenByCarol = await listAll(carol, '/v1/tasks');
    const carolPage = await api.call('GET', '/v1/tasks?limit=2', undefined, { token: carol });
    const stolen = await api.call('GET', `/v1/tasks?limit=2&nextToken=${encodeURIComponent(carolPage.json.nextToken)}`, undefined, { token: dave });

    // Assess
    expect(seenByDave.sort()).toEqual([...daves].sort());
    expect(seenByCarol.sort()).toEqual([...carols].sort());
    for (const status of ['ACTIVE', 'PAUSED', 'COMPLETED', 'FAILED']) {
      for (const id of await listAll(dave, `/v1/tasks?status=${status}`)) expect(daves).toContain(id);
    }
    expect(stolen.status).toBe(400);
    expect(stolen.json.errors).toEqual([{ path: 'nextToken', message: expect.any(String) }]);
    expect(stolen.text).not.toContain('tsk_');
  });

  it("should refuse an execution page token from another user's task", async () => {
    const aliceTask = await createTask(alice, `${capture.url}/alice-pages`);
    for (let i = 0; i < 3; i++) await finished(alice, aliceTask, (await api.call('POST', `/v1/tasks/${aliceTask}/trigger`, undefined, { token: alice })).json.executionId);
    const page = await api.call('GET', `/v1/tasks/${aliceTask}/executions?limit=1`, undefined, { token: alice });
    expect(page.json.nextToken).toEqual(expect.any(String));
    const bobTask = await createTask(bob, `${capture.url}/bob-pages`);
    const stolen = await api.call('GET', `/v1/tasks/${bobTask}/executions?nextToken=${encodeURIComponent(page.json.nextToken)}`, undefined, { token: bob });
    expect(stolen.status).toBe(400);
    expect(stolen.text).not.toContain('exe_');
  });

  it("should keep signing secrets per user: each delivery verifies with its owner's secret only", async () => {
    // Prepare
    const aliceSecret = (await api.call('GET', '/v1/signing-secret', undefined, { token: alice })).json.secret as string;
    const bobBefore = (await api.call('GET', '/v1/signing-secret', undefined, { token: bob })).json.secret as string;
    const aliceTask = await createTask(alice, `${capture.url}/signed-for-alice`);

    // Act: bob rotates his secret; alice's stays as it was
    const bobAfter = (await api.call('POST', '/v1/signing-secret/rotate', undefined, { token: bob })).json;
    const aliceAgain = (await api.call('GET', '/v1/signing-secret', undefined, { token: alice })).json;
    await api.call('POST', `/v1/tasks/${aliceTask}/trigger`, undefined, { token: alice });
    const hit = await capture.waitFor((r) => r.path === '/signed-for-alice', 15_000);

    // Assess: a receiver that trusts only bob's secrets refuses alice's delivery, alice's accepts it
    expect(new Set([aliceSecret, bobBefore, bobAfter.secret]).size).toBe(3);
    expect(bobAfter.previous).toBe(bobBefore);
    expect(aliceAgain).toMatchObject({ secret: aliceSecret, previous: null });
    const bobsReceiver = createReceiver({ secrets: [bobAfter.secret, bobBefore], onDelivery: () => undefined });
    const alicesReceiver = createReceiver({ secrets: [aliceSecret], onDelivery: () => undefined });
    const [bobsUrl, alicesUrl] = await Promise.all([listen(bobsReceiver), listen(alicesReceiver)]);
    expect((await resend(bobsUrl, hit)).status).toBe(401);
    expect((await resend(alicesUrl, hit)).status).toBe(200);
    await Promise.all([close(bobsReceiver), close(alicesReceiver)]);
  });
});

describe('verify a delivery: examples/receiver.ts against the local stack', () => {
  it('should accept a real delivery with its payload byte for byte, once, and refuse a replay with another body', async () => {
    // Prepare: the sample receiver with erin's secret, and a task of hers that targets it
    const erin = await api.token(`erin-${run}`);
    const secret = (await api.call('GET', '/v1/signing-secret', undefined, { token: erin })).json.secret as string;
    const delivered: VerifiedDelivery[] = [];
    const receiver = createReceiver({ secrets: [secret], onDelivery: (d) => void delivered.push(d) });
    const url = await listen(receiver);
    const payload = { order: 42, note: 'héllo ✓', nested: { list: [1, 2, 3] } };
    const taskId = await createTask(erin, `${url}/hook`, payload);

    // Act: a real run
    const executionId = (await api.call('POST', `/v1/tasks/${taskId}/trigger`, undefined, { token: erin })).json.executionId as string;
    const execution = await finished(erin, taskId, executionId);

    // Assess: verified, handled once, answered 200
    expect(execution).toMatchObject({ status: 'SUCCEEDED', result: { statusCode: 200, body: 'ok' } });
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ id: executionId, taskId, attempt: 1 });
    expect(JSON.parse(delivered[0]!.body)).toEqual(payload);
    await close(receiver);
  });

  it('should treat a captured delivery sent again as a duplicate, and a changed body as forged', async () => {
    // Prepare: capture one real delivery to frank
    const frank = await api.token(`frank-${run}`);
    const secret = (await api.call('GET', '/v1/signing-secret', undefined, { token: frank })).json.secret as string;
    const taskId = await createTask(frank, `${capture.url}/frank`, { amount: 10 });
    await api.call('POST', `/v1/tasks/${taskId}/trigger`, undefined, { token: frank });
    const hit = await capture.waitFor((r) => r.path === '/frank', 15_000);
    const delivered: VerifiedDelivery[] = [];
    const receiver = createReceiver({ secrets: [secret], onDelivery: (d) => void delivered.push(d) });
    const url = await listen(receiver);

    // Act
    const first = await resend(url, hit);
    const replay = await resend(url, hit);
    const forged = await resend(url, hit, { body: hit.body.replace('10', '99') });

    // Assess
    expect(first).toEqual({ status: 200, text: 'ok' });
    expect(replay).toEqual({ status: 200, text: 'duplicate' });
    expect(forged.status).toBe(401);
    expect(delivered).toHaveLength(1);
    await close(receiver);
  });

  it('should accept deliveries signed during a rotation with the old secret or the new one', async () => {
    // Prepare
    const gina = await api.token(`gina-${run}`);
    const old = (await api.call('GET', '/v1/signing-secret', undefined, { token: gina })).json.secret as string;
    const rotated = (await api.call('POST', '/v1/signing-secret/rotate', undefined, { token: gina })).json;
    const taskId = await createTask(gina, `${capture.url}/gina`);

    // Act
    await api.call('POST', `/v1/tasks/${taskId}/trigger`, undefined, { token: gina });
    const hit = await capture.waitFor((r) => r.path === '/gina', 15_000);
    const withOld = createReceiver({ secrets: [old], onDelivery: () => undefined });
    const withNew = createReceiver({ secrets: [rotated.secret], onDelivery: () => undefined });
    const [oldUrl, newUrl] = await Promise.all([listen(withOld), listen(withNew)]);

    // Assess: two signatures, each receiver finds its own
    expect(hit.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect((await resend(oldUrl, hit)).status).toBe(200);
    expect((await resend(newUrl, hit)).status).toBe(200);
    await Promise.all([close(withOld), close(withNew)]);
  });
});
