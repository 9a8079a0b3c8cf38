import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryRequest } from '../../../lambdas/delivery/httpDelivery';
import { deliver, InvalidDeliveryRequestError } from '../../../lambdas/delivery/httpDelivery';
import type { TargetAddressPolicy } from '../../../lambdas/delivery/targetAddressPolicy';
import { scriptedResolver } from './fakeResolver';
import type { LoopbackServer, Respond } from './loopbackServer';
import { startLoopbackServer, unusedPort } from './loopbackServer';

const LOCAL: TargetAddressPolicy = { allowLoopback: true, allowedCidrs: [] };
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function target(respond: Respond): Promise<LoopbackServer> {
  const server = await startLoopbackServer(respond);
  cleanups.push(() => server.close());
  return server;
}

function request(url: string, overrides: Partial<DeliveryRequest> = {}): DeliveryRequest {
  return { url, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":1}', timeoutMs: 2000, ...overrides };
}

describe('deliver: outcome of a response', () => {
  it('should succeed on 200 and keep the response body', async () => {
    // Prepare
    const server = await target((_req, res) => res.end('thanks'));

    // Act
    const outcome = await deliver(request(`${server.origin}/hook`), LOCAL);

    // Assess
    expect(outcome).toEqual({ kind: 'succeeded', statusCode: 200, body: 'thanks', durationMs: expect.any(Number) });
    expect(server.requests).toHaveLength(1);
  });

  it('should succeed on 204 with an empty body', async () => {
    const server = await target((_req, res) => { res.statusCode = 204; res.end(); });

    const outcome = await deliver(request(server.origin), LOCAL);

    expect(outcome).toMatchObject({ kind: 'succeeded', statusCode: 204, body: '' });
  });

  it('should send the method, path, query and body as given', async () => {
    // Prepare
    const server = await target((_req, res) => res.end());

    // Act
    await deliver(request(`${server.origin}/a/b?x=1&y=%20`, { method: 'put', body: '{"caf\u00e9":"\u20ac"}' }), LOCAL);

    // Assess
    expect(server.requests[0]).toMatchObject({ method: 'PUT', path: '/a/b?x=1&y=%20', body: '{"caf\u00e9":"\u20ac"}' });
    expect(server.requests[0].headers['content-length']).toBe(String(Buffer.byteLength('{"caf\u00e9":"\u20ac"}')));
  });

  it('should cut the response body to 4 KiB on a character boundary', async () => {
    // Prepare
    const server = await target((_req, res) => res.end(`${'a'.repeat(4094)}\u20ac${'b'.repeat(10_000)}`));

    // Act
    const outcome = await deliver(request(server.origin), LOCAL);

    // Assess
    expect(outcome.kind).toBe('succeeded');
    expect(outcome.body).toBe('a'.repeat(4094));
  });

  it('should stop reading a huge response instead of buffering it', async () => {
    // Prepare: 256 MiB offered, written only as fast as the client reads.
    const total = 256 * 1024 * 1024;
    let written = 0;
    let closed!: Promise<void>;
    const server = await target((_req, res) => {
      closed = new Promise((resolve) => res.on('close', resolve));
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = (): void => {
        while (written < total && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) { res.once('drain', pump); return; }
        }
        res.end();
      };
      pump();
    });

    // Act
    const outcome = await deliver(request(server.origin), LOCAL);
    await closed;

    // Assess
    expect(outcome).toMatchObject({ kind: 'succeeded', statusCode: 200, body: 'x'.repeat(4096) });
    expect(written).toBeLessThan(total / 4);
  });

  it.each([500, 502, 503, 504, 429, 408, 425])('should report %i as retriable', async (status) => {
    // Prepare
    const server = await target((_req, res) => { res.statusCode = status; res.end('busy'); });

    // Act
    const outcome = await deliver(request(server.origin), LOCAL);

    // Assess
    expect(outcome).toEqual({ kind: 'retriable', statusCode: status, body: 'busy', error: `HTTP ${status}`, durationMs: expect.any(Number) });
  });

  it.each([
    ['120', 120_000], ['0', 0], ['86400', 3_600_000],
  ])('should honour Retry-After: %s as %i ms, capped at an hour', async (value, expected) => {
    const server = await target((_req, res) => res.writeHead(503, { 'retry-after': value }).end());

    const outcome = await deliver(request(server.origin), LOCAL);

    expect(outcome).toMatchObject({ kind: 'retriable', statusCode: 503, retryAfterMs: expected });
  });

  it('should honour Retry-After given as an HTTP-date', async () => {
    // Prepare
    const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 30_000).toUTCString();
    const server = await target((_req, res) => res.writeHead(429, { 'retry-after': at }).end());

    // Act
    const outcome = await deliver(request(server.origin), LOCAL);

    // Assess
    expect(outcome.kind).toBe('retriable');
    const retryAfterMs = outcome.kind === 'retriable' ? outcome.retryAfterMs : undefined;
    expect(retryAfterMs).toBeGreaterThan(25_000);
    expect(retryAfterMs).toBeLessThanOrEqual(31_000);
  });

  it('should leave retryAfterMs out when Retry-After is absent or unreadable', async () => {
    const server = await target((_req, res) => res.writeHead(503, { 'retry-after': 'later' }).end());

    const outcome = await deliver(request(server.origin), LOCAL);

    expect(outcome).not.toHaveProperty('retryAfterMs');
  });

  it.each([400, 401, 403, 404, 410, 413, 422])('should report %i as failed', async (status) => {
    const server = await target((_req, res) => { res.statusCode = status; res.end('no'); });

    const outcome = await deliver(request(server.origin), LOCAL);

    expect(outcome).toEqual({ kind: 'failed', statusCode: status, body: 'no', error: `HTTP ${status}`, durationMs: expect.any(Number) });
  });

  it.each([301, 302, 303, 307, 308])('should fail on %i and never follow the redirect', async (status) => {
    // Prepare
    const elsewhere = await target((_req, res) => res.end('followed'));
    const server = await target((_req, res) => res.writeHead(status, { location: `${elsewhere.origin}/internal` }).end());

    // Act
    const outcome = await deliver(request(server.origin), LOCAL);

    // Assess
    expect(outcome).toMatchObject({ kind: 'failed', statusCode: status, error: expect.stringContaining('not followed') });
    expect(elsewhere.requests).toHaveLength(0);
  });
});

describe('deliver: time-outs and connection errors', () => {
  it('should give up on a slow server after timeoutMs and report it as retriable', async () => {
    // Prepare
    const server = await target((_req, res) => {
      const timer = setTimeout(() => res.end('late'), 5000);
      res.on('close', () => clearTimeout(timer));
    });

    // Act
    const outcome = await deliver(request(server.origin, { timeoutMs: 300 }), LOCAL);

    // Assess
    expect(outcome).toMatchObject({ kind: 'retriable', error: 'timed out after 300 ms' });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(290);
    expect(outcome.durationMs).toBeLessThan(2000);
  });

  it('should time out a server that accepts the connection but never answers', async () => {
    // Prepare
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => { sockets.push(socket); });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => { sockets.forEach((s) => s.destroy()); silent.close(() => resolve()); }));
    const { port } = silent.address() as net.AddressInfo;

    // Act
    const outcome = await deliver(request(`http://127.0.0.1:${port}/`, { timeoutMs: 200 }), LOCAL);

    // Assess
    expect(outcome).toMatchObject({ kind: 'retriable', error: 'timed out after 200 ms' });
  });

  it('should keep the status of a response whose body stalls past the deadline', async () => {
    // Prepare
    const server = await target((_req, res) => { res.writeHead(200); res.write('partial'); });

    // Act
    const outcome = await deliver(request(server.origin, { timeoutMs: 300 }), LOCAL);

    // Assess
    expect(outcome).toMatchObject({ kind: 'succeeded', statusCode: 200, body: 'partial' });
  });

  it('should report a refused connection as retriable', async () => {
    const port = await unusedPort();

    const outcome = await deliver(request(`http://127.0.0.1:${port}/`), LOCAL);

    expect(outcome).toMatchObject({ kind: 'retriable', error: expect.stringContaining('ECONNREFUSED') });
  });

  it('should report a connection reset before any response as retriable', async () => {
    // Prepare
    const rude = net.createServer((socket) => socket.on('data', () => socket.resetAndDestroy()));
    await new Promise<void>((resolve) => rude.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => rude.close(() => resolve())));
    const { port } = rude.address() as net.AddressInfo;

    // Act
    const outcome = await deliver(request(`http://127.0.0.1:${port}/`), LOCAL);

    // Assess
    expect(outcome).toMatchObject({ kind: 'retriable', error: expect.stringMatching(/ECONNRESET|socket hang up/) });
  });

  it('should reach the socket layer for a bracketed IPv6 literal', async () => {
    const port = await unusedPort();

    const outcome = await deliver(request(`http://[::1]:${port}/`, { timeoutMs: 1000 }), LOCAL);

    // Refused, or unreachable where IPv6 is off; never a failed name lookup of "[::1]".
    expect(outcome.kind).toBe('retriable');
    expect(outcome.kind === 'retriable' && outcome.error).not.toMatch(/ENOTFOUND|resolve|checked address/);
  });

  it('should report a failed name resolution as retriable', async () => {
    const resolver = async (): Promise<never> => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.test'), { code: 'ENOTFOUND' });
    };

    const outcome = await deliver(request('http://nowhere.test/'), LOCAL, resolver);

    expect(outcome).toMatchObject({ kind: 'retriable', error: 'could not resolve nowhere.test: getaddrinfo ENOTFOUND nowhere.test' });
  });

  it('should count name resolution in the attempt time-out', async () => {
    const resolver = (): Promise<never> => new Promise(() => undefined);

    const outcome = await deliver(request('http://slow-dns.test/', { timeoutMs: 200 }), LOCAL, resolver);

    expect(outcome).toMatchObject({ kind: 'retriable', error: 'timed out after 200 ms resolving slow-dns.test' });
    expect(outcome.durationMs).toBeLessThan(1500);
  });

  it('should report a hostname without addresses as retriable', async () => {
    const outcome = await deliver(request('http://empty.test/'), LOCAL, scriptedResolver([]));

    expect(outcome).toMatchObject({ kind: 'retriable', error: 'empty.test has no addresses' });
  });
});

describe('deliver: requests that cannot be sent', () => {
  it.each(['CONNECT', 'TRACE', 'BREW'])('should fail the unsupported method %s without sending anything', async (method) => {
    const server = await target((_req, res) => res.end());

    const outcome = await deliver(request(server.origin, { method }), LOCAL);

    expect(outcome).toMatchObject({ kind: 'failed', error: `method "${method}" is not supported` });
    expect(server.requests).toHaveLength(0);
  });

  it('should fail a header value with a line break (header injection) without sending anything', async () => {
    const server = await target((_req, res) => res.end());

    const outcome = await deliver(request(server.origin, { headers: { 'x-note': 'a\r\nx-injected: 1' } }), LOCAL);

    expect(outcome).toMatchObject({ kind: 'failed', error: expect.stringContaining('could not be built') });
    expect(server.requests).toHaveLength(0);
  });

  it.each(['ftp://127.0.0.1/', 'http://user:pw@127.0.0.1/', 'not a url'])('should fail the unusable URL %s', async (url) => {
    const outcome = await deliver(request(url), LOCAL);

    expect(outcome).toMatchObject({ kind: 'failed', error: expect.stringMatching(/^target URL: /) });
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('should throw for the impossible timeout %s (a caller bug)', async (timeoutMs) => {
    await expect(deliver(request('http://127.0.0.1/', { timeoutMs }), LOCAL)).rejects.toThrow(InvalidDeliveryRequestError);
  });
});
