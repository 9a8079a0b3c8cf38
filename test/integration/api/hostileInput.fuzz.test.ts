import { createHash } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClientConfig } from '../../../local/localAws';
import { loadHandlerApi } from '../../support/handlerApi';
import type { HandlerApi, HandlerRequest, HandlerResponse } from '../../support/handlerApi';

/**
 * Hostile input against the real api handler and DynamoDB Local: random and malformed bodies, huge
 * strings, deep nesting, wrong types, unicode, header injection in target headers, bad query
 * parameters and bad ids. Whatever arrives, the answer is never a 5xx, every 4xx is problem JSON,
 * and a 4xx changes nothing in the table.
 */
let api: HandlerApi;
let dynamo: DynamoDBDocumentClient;
let requests = 0;
let accepted = 0;
const refusedByStatus = new Map<number, number>();

const OWNER = 'fuzz-owner';
const OTHER = 'fuzz-other';
let ownTaskId: string;
let otherTaskId: string;
let otherExecutionId: string;

function validTask(): Record<string, unknown> {
  return {
    name: 'fuzz',
    schedule: `at(${new Date(Date.now() + 86_400_000).toISOString()})`,
    target: { type: 'http', url: 'https://example.com/hook', headers: { 'x-a': 'b' } },
    payload: { hello: 'world' },
  };
}

/** Every item of the table but the rate buckets (which every request may touch), as one digest. */
async function tableDigest(): Promise<string> {
  const hash = createHash('sha256');
  const lines: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await dynamo.send(new ScanCommand({ TableName: api.resources.tableName, ConsistentRead: true, ExclusiveStartKey: start }));
    for (const item of out.Items ?? []) if (item.sk !== 'RATE') lines.push(`${item.pk}|${item.sk}|${createHash('sha256').update(JSON.stringify(item, Object.keys(item).sort())).digest('hex')}`);
    start = out.LastEvaluatedKey;
  } while (start);
  for (const line of lines.sort()) hash.update(line);
  return hash.digest('hex');
}

function expectProblem(response: HandlerResponse, context: string): void {
  expect(response.headers['content-type'], context).toBe('application/problem+json');
  expect(response.json, context).toMatchObject({ type: expect.any(String), title: expect.any(String), status: response.status, detail: expect.any(String) });
  if (response.json.errors !== undefined) {
    expect(Array.isArray(response.json.errors), context).toBe(true);
    for (const e of response.json.errors) expect(e, context).toEqual({ path: expect.any(String), message: expect.any(String) });
  }
}

/**
 * Sends one hostile request and checks the invariants. After a 2xx that created a task, the task is
 * deleted again so the table stays small.
 */
async function send(request: HandlerRequest): Promise<HandlerResponse> {
  const before = await tableDigest();
  const response = await api.call(request);
  requests++;
  const context = `${request.method} ${request.url} ${typeof request.body === 'string' ? request.body.slice(0, 300) : JSON.stringify(request.body)?.slice(0, 300)} -> ${response.status} ${response.text.slice(0, 300)}`;
  expect(response.status, context).toBeLessThan(500);
  if (response.status >= 400) {
    refusedByStatus.set(response.status, (refusedByStatus.get(response.status) ?? 0) + 1);
    expectProblem(response, context);
    expect(await tableDigest(), `a ${response.status} changed the table: ${context}`).toBe(before);
  } else {
    accepted++;
    // Whatever was accepted reads back without a CR or LF in any target header.
    for (const value of Object.values(response.json?.target?.headers ?? {})) expect(String(value), context).not.toMatch(/[\r\n\0]/);
    if (request.method === 'POST' && request.url === '/v1/tasks' && response.status === 201) {
      expect((await api.call({ method: 'DELETE', url: `/v1/tasks/${response.json.taskId}`, userId: request.userId })).status).toBe(204);
    }
  }
  return response;
}

// ---- generators ----

/** Values of every JSON type, unicode and lone surrogates included. */
const nasty: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('\r', '\n', '\0', '\u2028', '\ufeff', '\ud800', '💥', 'é', '"', '\\', '%', '#', '/'), maxLength: 20 }),
  fc.integer(),
  fc.constantFrom(0, -1, -0, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 64, 1e-320),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.constantFrom('', ' ', 'null', '__proto__', 'constructor', 'toString', '[redacted]', 'x'.repeat(5000)),
);

/** The fields of a task body, nested ones included, and some that do not exist. */
const FIELD_PATHS = [
  ['name'], ['schedule'], ['timezone'], ['target'], ['target', 'type'], ['target', 'url'], ['target', 'method'],
  ['target', 'headers'], ['target', 'timeoutSeconds'], ['payload'], ['retryPolicy'], ['retryPolicy', 'maxAttempts'],
  ['retryPolicy', 'backoffSeconds'], ['retryPolicy', 'maxBackoffSeconds'], ['startAt'], ['endAt'], ['maxRuns'],
  ['overlapPolicy'], ['catchUpPolicy'], ['catchUpWindowSeconds'], ['jitterSeconds'], ['__proto__'], ['constructor'], ['extra'],
] as const;

function withField(body: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = structuredClone(body);
  let node: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) Object.defineProperty(node, key, { value: {}, enumerable: true, writable: true, configurable: true });
    node = node[key] as Record<string, unknown>;
  }
  Object.defineProperty(node, path[path.length - 1]!, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

const scheduleText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.tuple(fc.constantFrom('cron', 'rate', 'at', 'CRON', 'cron '), fc.string({ maxLength: 40 })).map(([f, inner]) => `${f}(${inner})`),
  fc
    .array(fc.constantFrom('*', '?', 'L', 'W', '#', '0', '59', '60', '-1', '*/0', '*/1', '1-0', '5/0', '31', '32', '1W', 'LW', '5#6', '0#1', 'MON-SUN', 'JAN', '13', '1970', '2199', '99999999999', '١'), {
      minLength: 1,
      maxLength: 8,
    })
    .map((fields) => fields.join(' '))
    .chain((expr) => fc.constantFrom(expr, `cron(${expr})`)),
  fc
    .tuple(fc.oneof(fc.integer({ min: -5, max: 10 }), fc.constantFrom(2 ** 53, 1e21, 0.5, 999999999)), fc.constantFrom('second', 'seconds', 'minute', 'minutes', 'hours', 'days', 'weeks', 'years', ''))
    .map(([n, unit]) => `rate(${n} ${unit})`),
  fc.constantFrom('0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2026-02-30T00:00:00Z', '2026-01-01T24:00:00', '2026-01-01T00:00:00+99:00', 'now', '').map((t) => `at(${t})`),
);

const timezoneText = fc.oneof(
  fc.constantFrom('UTC', 'Etc/GMT+14', 'Etc/GMT-15', '../../etc/passwd', 'America/New_York\n', 'Europe/Berlin ', 'utc', '+05:00', 'Z', 'Mars/Olympus', 'Asia/Kolkata'),
  fc.string({ maxLength: 70 }),
);

const headerName = fc.oneof(
  fc.constantFrom('x-ok', 'Host', 'Content-Length', 'Transfer-Encoding', 'Connection', 'Upgrade', 'webhook-signature', 'X-Tock-Attempt', 'Authorization', 'x y', 'x:y', 'x\r\ny', 'ü', '', 'a'.repeat(300)),
  fc.string({ maxLength: 12 }),
);
const headerValue = fc.oneof(
  fc.constantFrom('ok', 'a\r\nInjected: yes', 'a\nb', 'a\rb', 'a\0b', '\r\n\r\nGET / HTTP/1.1', 'é', '💥', ' leading', 'x'.repeat(5000), '[redacted]'),
  fc.string({ unit: 'binary', maxLength: 30 }),
);
const targetHeaders = fc.oneof(
  fc.dictionary(headerName, headerValue, { maxKeys: 5 }),
  fc.constant(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`x-h${i}`, 'v']))),
);

/** Deep nesting of arrays or objects, as text, so nothing is built in this process first. */
const deepText = fc.tuple(fc.integer({ min: 50, max: 200_000 }), fc.boolean()).map(([depth, objects]) =>
  objects ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}${']'.repeat(depth)}`,
);

const rawBody = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('', ' ', 'null', '[]', '"text"', '1', 'true', '{', '{"name":', '{"schedule":"rate(5 minutes)"', '\ufeff{}', '{}}', '{"a":1,"a":2}', '{"__proto__":{"x":1}}', 'NaN', '[1,]', '{"name":"\\ud800"}'),
  fc.json({ maxDepth: 4 }),
);

const idText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }).map(encodeURIComponent),
  fc.constantFrom('%', '%zz', '%E0%A4%A', '%C0%AF', '%00', '%2F', '..', '.', 'tsk_', 'TSK_00000000000000000000000000', 'tsk_00000000000000000000000000', 'tsk_0000000000000000000000000I', 'exe_x', '%F0%9F%92%A5', 'a'.repeat(2000)),
);

const queryText = fc.oneof(
  fc.array(
    fc.tuple(fc.constantFrom('limit', 'nextToken', 'status', 'include', 'x', 'LIMIT', ''), fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('-1', '0', '1', '100', '101', '1e3', '0x10', '1.5', 'NaN', 'Infinity', ' 5', 'ACTIVE', 'active', 'skipped', 'PAUSED,ACTIVE'),
      fc.string({ unit: 'binary', maxLength: 60 }).map((s) => Buffer.from(s).toString('base64url')),
      fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
      fc.constantFrom(
        { gsi1pk: `U#${OWNER}` },
        { gsi1pk: `U#${OWNER}`, gsi1sk: { S: 'x' } },
        { gsi1pk: `U#${OWNER}`, gsi1sk: 'x', pk: 'x', sk: 'y' },
        { gsi1pk: `U#${OWNER}`, gsi1sk: 'tsk_', pk: 5, sk: [] },
        { pk: 'T#fuzz-owner#x' },
        { pk: 'T#fuzz-owner#x', sk: { a: 1 } },
        { gsi1pk: `U#${OTHER}`, gsi1sk: 'x', pk: 'a', sk: 'b' },
      ).map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
    )),
    { maxLength: 4 },
  ).map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')),
  fc.constantFrom('%', '%zz', 'limit=%', 'limit', '&&&', 'limit=1&limit=2', 'nextToken='),
);

beforeAll(async () => {
  api = await loadHandlerApi('hostile-input', { TOCK_USER_RPS: '100000', TOCK_USER_BURST: '100000' });
  dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(api.resources.endpoints.dynamodb)));
  ownTaskId = (await api.call({ method: 'POST', url: '/v1/tasks', userId: OWNER, body: validTask() })).json.taskId;
  otherTaskId = (await api.call({ method: 'POST', url: '/v1/tasks', userId: OTHER, body: validTask() })).json.taskId;
  otherExecutionId = (await api.call({ method: 'POST', url: `/v1/tasks/${otherTaskId}/trigger`, userId: OTHER })).json.executionId;
  expect(ownTaskId).toMatch(/^tsk_/);
  expect(otherExecutionId).toMatch(/^exe_/);
});

afterAll(() => {
  const refused = [...refusedByStatus.entries()].sort().map(([status, n]) => `${status}: ${n}`).join(', ');
  console.info(`hostile input: ${requests} requests, ${accepted} accepted, refused ${refused}`);
  dynamo?.destroy();
});

describe('hostile input to the API (fast-check, real handler and DynamoDB Local)', () => {
  it('should refuse any JSON value as a task body without a 5xx or a write', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (body) => {
        await send({ method: 'POST', url: '/v1/tasks', userId: OWNER, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      }),
      { numRuns: 60 },
    );
  });

  it('should handle a valid task with one field of a wrong type or a hostile value', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FIELD_PATHS), nasty, fc.constantFrom('POST', 'PATCH'), async (path, value, method) => {
        const body = withField(validTask(), path, value);
        const url = method === 'POST' ? '/v1/tasks' : `/v1/tasks/${ownTaskId}`;
        await send({ method, url, userId: OWNER, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      }),
      { numRuns: 120 },
    );
  });

  it('should handle hostile schedules and time zones on create, PATCH and preview', async () => {
    await fc.assert(
      fc.asyncProperty(scheduleText, fc.option(timezoneText, { nil: undefined }), fc.constantFrom('create', 'patch', 'preview'), async (schedule, timezone, route) => {
        const extra = timezone === undefined ? {} : { timezone };
        if (route === 'create') await send({ method: 'POST', url: '/v1/tasks', userId: OWNER, body: { ...validTask(), schedule, ...extra } });
        else if (route === 'patch') await send({ method: 'PATCH', url: `/v1/tasks/${ownTaskId}`, userId: OWNER, body: { schedule, ...extra } });
        else await send({ method: 'POST', url: '/v1/schedules/preview', userId: OWNER, body: { schedule, ...extra, from: '2026-03-08T00:00:00Z', count: 100 } });
      }),
      { numRuns: 100 },
    );
  });

  it('should never store a CR, LF or NUL in a target header (header injection)', async () => {
    await fc.assert(
      fc.asyncProperty(targetHeaders, fc.constantFrom('POST', 'PATCH'), async (headers, method) => {
        const target = { type: 'http', url: 'https://example.com/hook', headers };
        const body = method === 'POST' ? { ...validTask(), target } : { target };
        const url = method === 'POST' ? '/v1/tasks' : `/v1/tasks/${ownTaskId}`;
        const response = await send({ method, url, userId: OWNER, body });
        const crlf = Object.entries(headers).some(([n, v]) => /[\r\n\0]/.test(n) || /[\r\n\0]/.test(v));
        if (crlf) expect(response.status).toBe(400);
      }),
      { numRuns: 60 },
    );
  });

  it('should answer hostile target URLs with a 400 on target.url or accept them, never a 5xx', async () => {
    const url = fc.oneof(
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.string({ maxLength: 60 }),
      fc.constantFrom(
        'http://[::1', 'http://%', 'http://%zz/', 'javascript:alert(1)', 'file:///etc/passwd', 'http://a b/', 'http:///x', 'http://.', 'http://0x7f.1/',
        'http://[::ffff:169.254.169.254]/', 'http://0177.0.0.1/', 'http://2130706433/', 'http://１２７.０.０.１/', 'http://user:pw@example.com/', 'https://example.com:99999/',
        'https://example.com:-1/', `https://${'a'.repeat(64)}.example/`, `https://example.com/${'%'.repeat(2000)}`, 'https://xn--/', 'https://exa\u0000mple.com/', 'HTTP://EXAMPLE.COM/',
      ),
    );
    await fc.assert(
      fc.asyncProperty(url, fc.constantFrom('POST', 'PATCH'), async (targetUrl, method) => {
        const target = { type: 'http', url: targetUrl };
        const response = await send(
          method === 'POST'
            ? { method, url: '/v1/tasks', userId: OWNER, body: { ...validTask(), target } }
            : { method, url: `/v1/tasks/${ownTaskId}`, userId: OWNER, body: { target } },
        );
        if (response.status === 400) expect(response.json.errors.map((e: { path: string }) => e.path)).toContain('target.url');
      }),
      { numRuns: 60 },
    );
  });

  it('should refuse malformed bodies, odd content types and bytes that are not UTF-8', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(rawBody, deepText),
        fc.constantFrom('application/json', 'text/plain', 'application/octet-stream', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined),
        fc.constantFrom('/v1/tasks', 'task', '/v1/schedules/preview', 'pause', 'trigger'),
        async (text, contentType, where) => {
          const url = where === 'task' ? `/v1/tasks/${ownTaskId}` : where.startsWith('/') ? where : `/v1/tasks/${ownTaskId}/${where}`;
          const method = where === 'task' ? 'PATCH' : 'POST';
          await send({ method, url, userId: OWNER, body: text, headers: contentType ? { 'content-type': contentType } : {} });
        },
      ),
      { numRuns: 50 },
    );
    // Bytes that are not UTF-8 arrive base64-encoded, as API Gateway sends them.
    await send({ method: 'POST', url: '/v1/tasks', userId: OWNER, body: Buffer.from([0xff, 0xfe, 0x7b, 0xc0, 0xaf]), headers: { 'content-type': 'application/json' } });
  });

  it('should answer a deeply nested or huge payload with a 4xx or accept it, never a 5xx', async () => {
    const prefix = JSON.stringify(validTask()).replace(/"payload":\{"hello":"world"\}/, '"payload":');
    const cases = [
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`,
      JSON.stringify('x'.repeat(1024 * 1024 + 1)),
      JSON.stringify('é'.repeat(600 * 1024)),
      JSON.stringify('x'.repeat(400 * 1024)),
    ];
    for (const payload of cases) {
      await send({ method: 'POST', url: '/v1/tasks', userId: OWNER, body: `${prefix.slice(0, -1)}${payload}}`, headers: { 'content-type': 'application/json' } });
    }
    const nested = (depth: number) => `${prefix.slice(0, -1)}${'['.repeat(depth)}${']'.repeat(depth)}}`;
    expect((await send({ method: 'POST', url: '/v1/tasks', userId: OWNER, body: nested(255), headers: { 'content-type': 'application/json' } })).status).toBe(201);
    const tooDeep = await send({ method: 'POST', url: '/v1/tasks', userId: OWNER, body: nested(256), headers: { 'content-type': 'application/json' } });
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.json.errors).toEqual([{ path: 'payload', message: 'is nested deeper than 256 levels' }]);
    await send({ method: 'POST', url: '/v1/tasks', userId: OWNER, body: { ...validTask(), name: 'n'.repeat(1_000_000) } });
    await send({ method: 'POST', url: '/v1/tasks', userId: OWNER, body: { ...validTask(), schedule: `cron(${'1,'.repeat(100_000)}1 * * * ? *)` } });
  });

  it('should answer bad query parameters on the lists with 400 or 200, never a 5xx', async () => {
    // Page tokens that decode to JSON objects of the wrong shape; the first was found by this suite.
    const token = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
    for (const key of [{ gsi1pk: `U#${OWNER}` }, { pk: 'x', sk: 'y', gsi1pk: `U#${OWNER}`, gsi1sk: 'task_x' }, { pk: 'x' }, { pk: 'x', sk: 'y' }]) {
      for (const path of ['/v1/tasks', `/v1/tasks/${ownTaskId}/executions`]) {
        const response = await send({ method: 'GET', url: `${path}?nextToken=${token(key)}`, userId: OWNER });
        expect(response.status, `${path} ${JSON.stringify(key)}`).toBe(400);
      }
    }
    await fc.assert(
      fc.asyncProperty(queryText, fc.boolean(), async (query, executions) => {
        const path = executions ? `/v1/tasks/${ownTaskId}/executions` : '/v1/tasks';
        const response = await send({ method: 'GET', url: `${path}?${query}`, userId: OWNER });
        if (response.status === 200) expect(JSON.stringify(response.json)).not.toContain(otherTaskId);
      }),
      { numRuns: 60 },
    );
  });

  it("should answer bad ids, another user's ids and odd methods with 404 or 405, never a 5xx", async () => {
    const shapes = [
      (id: string) => `/v1/tasks/${id}`,
      (id: string) => `/v1/tasks/${id}/pause`,
      (id: string) => `/v1/tasks/${id}/resume`,
      (id: string) => `/v1/tasks/${id}/trigger`,
      (id: string) => `/v1/tasks/${id}/executions`,
      (id: string) => `/v1/tasks/${ownTaskId}/executions/${id}`,
      (id: string) => `/v1/tasks/${id}/executions/${otherExecutionId}`,
      (id: string) => `/v1/${id}`,
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(idText, fc.constantFrom(otherTaskId, otherExecutionId)),
        fc.nat(shapes.length - 1),
        fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'HEAD', 'OPTIONS', 'TRACE', 'get', 'FOO'),
        async (id, shape, method) => {
          const response = await send({ method, url: shapes[shape]!(id), userId: OWNER, body: method === 'PATCH' ? { name: 'x' } : undefined });
          if (id === otherTaskId || id === otherExecutionId) expect([404, 405]).toContain(response.status);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('should refuse hostile If-Match and Idempotency-Key headers with a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('', '*', '"1"', 'W/"1"', '99999999999999999999', '-1', '1.0', '0x1', 'é', 'a'.repeat(300), 'key\twith\ttabs')),
        fc.constantFrom('if-match', 'idempotency-key'),
        async (value, header) => {
          const request: HandlerRequest =
            header === 'if-match'
              ? { method: 'PATCH', url: `/v1/tasks/${ownTaskId}`, userId: OWNER, body: { name: 'renamed' }, headers: { [header]: value } }
              : { method: 'POST', url: '/v1/tasks', userId: OWNER, body: validTask(), headers: { [header]: value } };
          await send(request);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("should refuse a caller id with the key separator, which could reach another user's keys", async () => {
    // `I#<userId>#<key>`: user "fuzz-owner#k" with key "1" would be user "fuzz-owner" with key "k#1".
    const response = await send({ method: 'POST', url: '/v1/tasks', userId: `${OWNER}#k`, body: validTask(), headers: { 'idempotency-key': '1' } });
    expect(response.status).toBe(401);
  });

  it("should leave the other user's task untouched through all of it", async () => {
    const other = await api.call({ method: 'GET', url: `/v1/tasks/${otherTaskId}`, userId: OTHER });
    expect(other.status).toBe(200);
    expect(other.json).toMatchObject({ version: 1, name: 'fuzz', status: 'ACTIVE' });
    expect(requests).toBeGreaterThan(600);
  });
});
