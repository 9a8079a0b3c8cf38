import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryRequest } from '../../../lambdas/delivery/httpDelivery';
import { deliver } from '../../../lambdas/delivery/httpDelivery';
import type { TargetAddressPolicy } from '../../../lambdas/delivery/targetAddressPolicy';
import { scriptedResolver } from './fakeResolver';
import type { LoopbackServer } from './loopbackServer';
import { startLoopbackServer } from './loopbackServer';

const STRICT: TargetAddressPolicy = { allowLoopback: false, allowedCidrs: [] };
const LOCAL: TargetAddressPolicy = { allowLoopback: true, allowedCidrs: [] };

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function okServer(): Promise<LoopbackServer> {
  const server = await startLoopbackServer((_req, res) => res.end('reached'));
  cleanups.push(() => server.close());
  return server;
}

function request(url: string): DeliveryRequest {
  return { url, method: 'POST', headers: {}, body: '{}', timeoutMs: 2000 };
}

describe('deliver: refused addresses (SSRF)', () => {
  it('should fail without sending anything when the hostname resolves to loopback and loopback is not allowed', async () => {
    // Prepare
    const server = await okServer();
    const resolver = scriptedResolver(['127.0.0.1']);

    // Act
    const outcome = await deliver(request(`http://hooks.example.test:${server.port}/`), STRICT, resolver);

    // Assess
    expect(outcome).toMatchObject({ kind: 'failed', error: 'hooks.example.test resolves to 127.0.0.1, which is refused: loopback' });
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    ['0.0.0.0', LOCAL, 'unspecified'], ['::', LOCAL, 'unspecified'], ['::ffff:0.0.0.0', LOCAL, 'IPv4-mapped'],
    ['127.0.0.1', STRICT, 'loopback'], ['::ffff:127.0.0.1', STRICT, 'IPv4-mapped'], ['::ffff:7f00:1', STRICT, 'IPv4-mapped'],
  ])('should never connect to %s, which reaches this host, even where it would land on a listening server', async (address, policy, reason) => {
    // Prepare: 0.0.0.0 and :: connect to the local host on Linux; the server listens on 127.0.0.1.
    const server = await okServer();

    // Act
    const outcome = await deliver(request(`http://sneaky.test:${server.port}/`), policy as TargetAddressPolicy, scriptedResolver([address]));

    // Assess
    expect(outcome).toMatchObject({ kind: 'failed', error: expect.stringContaining(reason) });
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    ['10.0.0.5'], ['172.20.1.1'], ['192.168.1.1'], ['100.64.0.1'], ['169.254.169.254'], ['fd00:ec2::254'], ['fe80::1'], ['fc00::1'],
    ['64:ff9b::a9fe:a9fe'], ['224.0.0.1'],
  ])('should fail a hostname that resolves to %s', async (address) => {
    const resolver = scriptedResolver([address]);

    const outcome = await deliver(request('http://internal.test/'), LOCAL, resolver);

    expect(outcome).toMatchObject({ kind: 'failed', error: expect.stringContaining(`resolves to ${address}, which is refused`) });
  });

  it('should fail when any one of several answers is refused, even if another is allowed', async () => {
    // Prepare
    const server = await okServer();
    const resolver = scriptedResolver(['127.0.0.1', '10.0.0.5']);

    // Act
    const outcome = await deliver(request(`http://mixed.test:${server.port}/`), LOCAL, resolver);

    // Assess
    expect(outcome).toMatchObject({ kind: 'failed', error: expect.stringContaining('10.0.0.5') });
    expect(server.requests).toHaveLength(0);
  });

  it.each(['127.0.0.1', '2130706433', '0x7f000001', '0177.0.0.1', '127.1', '[::ffff:127.0.0.1]'])(
    'should fail the literal address %s without resolving or sending anything', async (host) => {
      // Prepare
      const server = await okServer();
      const resolver = scriptedResolver(['8.8.8.8']);

      // Act
      const outcome = await deliver(request(`http://${host}:${server.port}/`), STRICT, resolver);

      // Assess
      expect(outcome).toMatchObject({ kind: 'failed', error: expect.stringContaining('refused') });
      expect(resolver.calls).toHaveLength(0);
      expect(server.requests).toHaveLength(0);
    });

  it('should check the answers of the system resolver too (localhost)', async () => {
    const server = await okServer();

    const outcome = await deliver(request(`http://localhost:${server.port}/`), STRICT);

    expect(outcome).toMatchObject({ kind: 'failed', error: expect.stringMatching(/^localhost resolves to .*refused: loopback/) });
    expect(server.requests).toHaveLength(0);
  });

  it('should connect to an address an operator allowed by CIDR', async () => {
    // Prepare
    const server = await okServer();
    const policy: TargetAddressPolicy = { allowLoopback: false, allowedCidrs: ['127.0.0.1/32'] };

    // Act
    const outcome = await deliver(request(`http://allowed.test:${server.port}/`), policy, scriptedResolver(['127.0.0.1']));

    // Assess
    expect(outcome).toMatchObject({ kind: 'succeeded', body: 'reached' });
  });
});

describe('deliver: DNS rebinding', () => {
  it('should resolve once and connect to the checked address, whatever a second lookup would answer', async () => {
    // Prepare: the first answer is checked and allowed; any later lookup would "rebind" to 127.0.0.2,
    // where nothing listens, and the name does not exist in real DNS, so only the pinned address works.
    const server = await okServer();
    const resolver = scriptedResolver(['127.0.0.1'], ['127.0.0.2']);

    // Act
    const outcome = await deliver(request(`http://rebind.test:${server.port}/hook`), LOCAL, resolver);

    // Assess
    expect(outcome).toMatchObject({ kind: 'succeeded', body: 'reached' });
    expect(resolver.calls).toEqual(['rebind.test']);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].localAddress).toBe('127.0.0.1');
    expect(server.requests[0].headers.host).toBe(`rebind.test:${server.port}`);
  });

  it('should resolve again on the next attempt, and check that answer too', async () => {
    // Prepare
    const server = await okServer();
    const resolver = scriptedResolver(['127.0.0.1'], ['169.254.169.254']);
    const req = request(`http://rebind.test:${server.port}/`);

    // Act
    const first = await deliver(req, LOCAL, resolver);
    const second = await deliver(req, LOCAL, resolver);

    // Assess
    expect(first.kind).toBe('succeeded');
    expect(second).toMatchObject({ kind: 'failed', error: expect.stringContaining('169.254.169.254') });
    expect(server.requests).toHaveLength(1);
  });

  it('should keep the hostname for TLS (SNI and certificate check) while connecting to the checked address', async () => {
    // Prepare: a server on 127.0.0.1 with a self-signed certificate for tock.test.
    const fixtures = new URL('./fixtures/', import.meta.url);
    let serverName: string | undefined;
    let reachedAt: string | undefined;
    const server = https.createServer({
      key: readFileSync(new URL('tock-test.key.pem', fixtures)),
      cert: readFileSync(new URL('tock-test.cert.pem', fixtures)),
      SNICallback: (name, callback) => { serverName = name; callback(null); },
    }, (_req, res) => res.end());
    server.on('connection', (socket: Socket) => { reachedAt = socket.localAddress; });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
    const { port } = server.address() as AddressInfo;
    const resolver = scriptedResolver(['127.0.0.1'], ['127.0.0.2']);

    // Act
    const outcome = await deliver(request(`https://tock.test:${port}/`), LOCAL, resolver);

    // Assess: the certificate is rightly not trusted, but the handshake went to the pinned address with SNI tock.test.
    expect(outcome).toMatchObject({ kind: 'retriable', error: expect.stringMatching(/self[- ]signed certificate/) });
    expect(serverName).toBe('tock.test');
    expect(reachedAt).toBe('127.0.0.1');
    expect(resolver.calls).toEqual(['tock.test']);
  });
});
