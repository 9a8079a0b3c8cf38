import { beforeAll, describe, expect, it } from 'vitest';
import { loadHandlerApi } from '../../support/handlerApi';
import type { HandlerApi } from '../../support/handlerApi';

let api: HandlerApi;

beforeAll(async () => {
  api = await loadHandlerApi('task-quotas', { TOCK_MAX_TASKS_PER_USER: '3', TOCK_MIN_INTERVAL_SECONDS: '60', TOCK_USER_RPS: '100000', TOCK_USER_BURST: '100000' });
});

let users = 0;
const newUser = (): string => `quota-${Date.now()}-${users++}`;

function task(overrides: Record<string, unknown> = {}) {
  return { schedule: 'rate(5 minutes)', target: { type: 'http', url: 'https://example.com/hook' }, ...overrides };
}

async function create(userId: string, body: unknown = task(), headers: Record<string, string> = {}) {
  return api.call({ method: 'POST', url: '/v1/tasks', userId, body, headers });
}

async function taskIds(userId: string): Promise<string[]> {
  const list = await api.call({ method: 'GET', url: '/v1/tasks?limit=100', userId });
  expect(list.status).toBe(200);
  return list.json.items.map((t: { taskId: string }) => t.taskId);
}

describe('quota: tasks per user (TOCK_MAX_TASKS_PER_USER=3)', () => {
  it('should refuse the task over the quota with 429 naming the quota and its limit, and store nothing', async () => {
    // Prepare
    const user = newUser();
    for (let i = 0; i < 3; i++) expect((await create(user)).status).toBe(201);

    // Act
    const refused = await create(user);

    // Assess
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(refused.json).toMatchObject({ status: 429, quota: 'tasks', limit: 3, detail: expect.stringContaining('3 tasks') });
    expect(refused.headers['retry-after']).toBeUndefined();
    expect(await taskIds(user)).toHaveLength(3);
  });

  it('should give the slot back when a task is deleted', async () => {
    const user = newUser();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await create(user)).json.taskId);
    expect((await create(user)).status).toBe(429);
    expect((await api.call({ method: 'DELETE', url: `/v1/tasks/${ids[0]}`, userId: user })).status).toBe(204);
    expect((await api.call({ method: 'DELETE', url: `/v1/tasks/${ids[0]}`, userId: user })).status).toBe(404);
    expect((await create(user)).status).toBe(201);
    expect((await create(user)).status).toBe(429);
  });

  it('should be exact under concurrency: 12 creates at once make exactly 3 tasks, 12 deletes free exactly 3 slots', async () => {
    // Prepare
    const user = newUser();

    // Act
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => create(user, task({ name: `c${i}` }))));

    // Assess
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, 201, 201, ...Array(9).fill(429)]);
    const ids = await taskIds(user);
    expect(ids).toHaveLength(3);

    // Act: every task deleted four times at once (only one delete of each succeeds)
    const deletes = await Promise.all(ids.flatMap((id) => Array.from({ length: 4 }, () => api.call({ method: 'DELETE', url: `/v1/tasks/${id}`, userId: user }))));

    // Assess: the counter went down by exactly 3
    expect(deletes.map((d) => d.status).filter((s) => s === 204)).toHaveLength(3);
    expect(deletes.every((d) => d.status === 204 || d.status === 404)).toBe(true);
    const again = await Promise.all(Array.from({ length: 5 }, () => create(user)));
    expect(again.map((a) => a.status).sort()).toEqual([201, 201, 201, 429, 429]);
  });

  it('should still answer an idempotent replay at the quota with its task', async () => {
    const user = newUser();
    const first = await create(user, task(), { 'idempotency-key': 'replay-1' });
    await create(user);
    await create(user);
    const replay = await create(user, task(), { 'idempotency-key': 'replay-1' });
    expect(replay.status).toBe(201);
    expect(replay.json.taskId).toBe(first.json.taskId);
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });
});

describe('quota: minimum interval between runs (TOCK_MIN_INTERVAL_SECONDS=60)', () => {
  it.each([
    ['*/10 * * * * *', 10],
    ['rate(30 seconds)', 30],
    ['0,30 * * * * *', 30],
  ])('should refuse %s on create with a 400 on schedule that names the quota', async (schedule, interval) => {
    const user = newUser();
    const refused = await create(user, task({ schedule }));
    expect(refused.status).toBe(400);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(refused.json).toMatchObject({ status: 400, quota: 'minIntervalSeconds', limit: 60 });
    expect(refused.json.errors).toEqual([{ path: 'schedule', message: expect.stringContaining(`${interval} s`) }]);
    expect(await taskIds(user)).toEqual([]);
  });

  it.each(['rate(1 minute)', '* * * * *', 'cron(0 9 * * ? *)', `at(${new Date(Date.now() + 3_600_000).toISOString()})`])(
    'should accept %s',
    async (schedule) => {
      expect((await create(newUser(), task({ schedule }))).status).toBe(201);
    },
  );

  it('should refuse a PATCH to a too frequent schedule and leave the task as it was', async () => {
    // Prepare
    const user = newUser();
    const created = (await create(user)).json;

    // Act
    const refused = await api.call({ method: 'PATCH', url: `/v1/tasks/${created.taskId}`, userId: user, body: { schedule: 'rate(10 seconds)', name: 'x' } });

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ quota: 'minIntervalSeconds', limit: 60, errors: [{ path: 'schedule' }] });
    const after = await api.call({ method: 'GET', url: `/v1/tasks/${created.taskId}`, userId: user });
    expect(after.json).toMatchObject({ schedule: 'rate(5 minutes)', version: 1, name: null });
    const fine = await api.call({ method: 'PATCH', url: `/v1/tasks/${created.taskId}`, userId: user, body: { schedule: 'rate(2 minutes)' } });
    expect(fine.status).toBe(200);
  });
});
