import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_REQUEST_BODY_BYTES } from '../../../local/apiServer';
import { verifyJwt } from '../../../local/localJwt';
import { call, token } from '../../support/api';
import { startApiTestServer } from './apiTestServer';
import type { ApiTestServer } from './apiTestServer';

let api: ApiTestServer;
let alice: string;
let consoleDir: string;

beforeAll(async () => {
  consoleDir = mkdtempSync(join(tmpdir(), 'tock-console-'));
  writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>Tock</title>');
  writeFileSync(join(consoleDir, 'app.js'), 'console.log("tock")');
  api = await startApiTestServer({ staticDir: consoleDir, integrationTimeoutMs: 300 });
  alice = await token(api.baseUrl, 'alice');
});

afterAll(async () => {
  await api.server.close();
  rmSync(consoleDir, { recursive: true, force: true });
});

beforeEach(() => {
  api.events.length = 0;
  api.handle(async () => ({ statusCode: 204 }));
});

/** A raw request, for what fetch would normalize away (paths with dot segments, odd headers). */
function rawRequest(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const url = new URL(api.baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('API Gateway HTTP API emulation: the event', () => {
  it('should build a payload format 2.0 event from the request', async () => {
    // Act
    const before = Date.now();
    await call('POST', `${api.baseUrl}/v1/tasks/tsk_1/trigger?limit=5&tag=a&tag=b&q=a%20b`, { hello: 'wörld' }, {
      token: alice,
      headers: { 'X-Custom-Header': 'Yes', 'Idempotency-Key': 'k-1', cookie: 'a=1; b=2', 'user-agent': 'tock-test' },
    });

    // Assess
    const event = api.events[0]!;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'ANY /v1/{proxy+}',
      rawPath: '/v1/tasks/tsk_1/trigger',
      rawQueryString: 'limit=5&tag=a&tag=b&q=a%20b',
      cookies: ['a=1', 'b=2'],
      queryStringParameters: { limit: '5', tag: 'a,b', q: 'a b' },
      pathParameters: { proxy: 'tasks/tsk_1/trigger' },
      body: '{"hello":"wörld"}',
      isBase64Encoded: false,
      requestContext: {
        accountId: expect.any(String),
        apiId: 'local',
        domainName: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
        http: { method: 'POST', path: '/v1/tasks/tsk_1/trigger', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'tock-test' },
        requestId: expect.any(String),
        routeKey: 'ANY /v1/{proxy+}',
        stage: '$default',
        time: expect.stringMatching(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/),
      },
    });
    expect(event.requestContext.timeEpoch).toBeGreaterThanOrEqual(before);
    expect(event.requestContext.authorizer.jwt.claims.sub).toBe('alice');
    expect(event.headers).toMatchObject({
      'x-custom-header': 'Yes',
      'idempotency-key': 'k-1',
      'content-type': 'application/json',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'content-length': String(Buffer.byteLength('{"hello":"wörld"}')),
    });
    expect(event.headers.cookie).toBeUndefined();
    expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);
  });

  it('should leave out body and query parameters when there are none', async () => {
    await call('GET', `${api.baseUrl}/v1/tasks`, undefined, { token: alice });
    const event = api.events[0]!;
    expect(event.body).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.rawQueryString).toBe('');
  });

  it('should base64-encode a binary body', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252]);
    await call('PUT', `${api.baseUrl}/v1/blob`, bytes, { token: alice, headers: { 'content-type': 'application/octet-stream' } });
    const event = api.events[0]!;
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body!, 'base64')).toEqual(bytes);
  });

  it('should accept a body of exactly 6 MB and refuse one byte more with 413', async () => {
    // Prepare
    const limit = 'x'.repeat(MAX_REQUEST_BODY_BYTES);

    // Act
    const accepted = await call('POST', `${api.baseUrl}/v1/tasks`, limit, { token: alice, headers: { 'content-type': 'text/plain' } });
    const refused = await call('POST', `${api.baseUrl}/v1/tasks`, `${limit}x`, { token: alice, headers: { 'content-type': 'text/plain' } });

    // Assess
    expect(accepted.status).toBe(204);
    expect(refused.status).toBe(413);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.json).toMatchObject({ status: 413, title: 'Content Too Large' });
    expect(api.events).toHaveLength(1);
  });
});

describe('API Gateway HTTP API emulation: the response', () => {
  it('should write status, headers, cookies and body from the structured result', async () => {
    // Prepare
    api.handle(async () => ({
      statusCode: 201,
      headers: { 'Content-Type': 'application/json', 'X-Version': 3, etag: '"3"' },
      cookies: ['a=1; Path=/', 'b=2'],
      body: '{"taskId":"tsk_1"}',
    }));

    // Act
    const response = await call('POST', `${api.baseUrl}/v1/tasks`, {}, { token: alice });

    // Assess
    expect(response.status).toBe(201);
    expect(response.json).toEqual({ taskId: 'tsk_1' });
    expect(response.headers.get('x-version')).toBe('3');
    expect(response.headers.get('etag')).toBe('"3"');
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2']);
    expect(response.headers.get('apigw-requestid')).toBeTruthy();
  });

  it('should decode a base64 result body', async () => {
    api.handle(async () => ({ statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from('bytes').toString('base64'), isBase64Encoded: true }));
    const response = await call('GET', `${api.baseUrl}/v1/blob`, undefined, { token: alice });
    expect(response.text).toBe('bytes');
  });

  it('should answer 200 with JSON when the handler returns a plain object', async () => {
    api.handle(async () => ({ ok: true }));
    const response = await call('GET', `${api.baseUrl}/v1/anything`, undefined, { token: alice });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.json).toEqual({ ok: true });
  });

  it('should answer a 500 problem that reveals nothing when the handler throws', async () => {
    api.handle(async () => {
      throw new Error('ConditionalCheckFailedException at secret-table');
    });
    const response = await call('GET', `${api.baseUrl}/v1/tasks`, undefined, { token: alice });
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.json).toMatchObject({ status: 500, title: 'Internal Server Error' });
    expect(response.text).not.toMatch(/secret-table|ConditionalCheck/);
  });

  it('should answer 504 when the handler takes longer than the integration timeout', async () => {
    api.handle(async () => {
      await sleep(1_000);
      return { statusCode: 200 };
    });
    const response = await call('GET', `${api.baseUrl}/v1/tasks`, undefined, { token: alice });
    expect(response.status).toBe(504);
    expect(response.json).toMatchObject({ status: 504, title: 'Gateway Timeout' });
  });
});

describe('local routes', () => {
  it('should issue a token for a userId', async () => {
    const response = await call('POST', `${api.baseUrl}/local/token`, { userId: 'alice@example.com' });
    expect(response.status).toBe(200);
    expect(verifyJwt(response.json.token, { publicKey: api.keys.jwtPublicKey }).sub).toBe('alice@example.com');
  });

  it.each([
    ['no userId', { name: 'x' }],
    ['a numeric userId', { userId: 7 }],
    ['an empty userId', { userId: '' }],
    ['a userId with "#" (it would break the key layout)', { userId: 'a#b' }],
    ['a body that is not JSON', 'userId=alice'],
  ])('should answer 400 naming userId for %s', async (_case, body) => {
    const response = await call('POST', `${api.baseUrl}/local/token`, body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.json).toMatchObject({ type: 'about:blank', title: 'Bad Request', status: 400, detail: expect.any(String) });
    expect(response.json.errors).toEqual([{ path: 'userId', message: expect.stringContaining('userId') }]);
  });

  it('should answer 405 to GET /local/token', async () => {
    expect((await call('GET', `${api.baseUrl}/local/token`)).status).toBe(405);
  });

  it('should answer /health with 200 when every component is up and 503 naming the ones that are not', async () => {
    // Act
    const healthy = await call('GET', `${api.baseUrl}/health`);
    api.setHealth({ ok: false, components: { dynamodb: { status: 'ok' }, scanners: { status: 'down', detail: 'not running' } } });
    const unhealthy = await call('GET', `${api.baseUrl}/health`);
    api.setHealth({ ok: true, components: { dynamodb: { status: 'ok' } } });

    // Assess
    expect(healthy.status).toBe(200);
    expect(healthy.json).toEqual({ status: 'ok', components: { dynamodb: 'ok' } });
    expect(unhealthy.status).toBe(503);
    expect(unhealthy.headers.get('content-type')).toBe('application/problem+json');
    expect(unhealthy.json).toMatchObject({ status: 503, detail: expect.stringContaining('scanners (not running)'), components: { scanners: 'down' } });
  });

  it('should answer 404 problems for unknown paths without calling the handler', async () => {
    for (const path of ['/v1', '/v1/', '/local/other', '/iam/v1/tasks', '/missing.png']) {
      const response = await call('GET', `${api.baseUrl}${path}`, undefined, { token: alice });
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type'), path).toBe('application/problem+json');
    }
    expect(api.events).toHaveLength(0);
  });
});

describe('web console hook', () => {
  it('should serve the built console, falling back to index.html for client routes', async () => {
    const index = await call('GET', `${api.baseUrl}/`);
    const script = await call('GET', `${api.baseUrl}/app.js`);
    const route = await call('GET', `${api.baseUrl}/tasks/tsk_1`);
    expect(index.text).toContain('<title>Tock</title>');
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(route.text).toContain('<title>Tock</title>');
  });

  it('should not serve files outside the console folder', async () => {
    const response = await rawRequest('/..%2f..%2f..%2fetc%2fpasswd');
    expect(response.body).not.toMatch(/root:/);
  });
});
