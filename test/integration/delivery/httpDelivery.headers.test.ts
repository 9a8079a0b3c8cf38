import { afterEach, describe, expect, it } from 'vitest';
import { deliver } from '../../../lambdas/delivery/httpDelivery';
import type { TargetAddressPolicy } from '../../../lambdas/delivery/targetAddressPolicy';
import { buildDeliveryHeaders } from '../../../lambdas/delivery/webhookHeaders';
import { generateSigningSecret, verifyWebhook } from '../../../lambdas/delivery/webhookSignature';
import { scriptedResolver } from './fakeResolver';
import type { LoopbackServer } from './loopbackServer';
import { startLoopbackServer } from './loopbackServer';

const LOCAL: TargetAddressPolicy = { allowLoopback: true, allowedCidrs: [] };
let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('deliver with buildDeliveryHeaders', () => {
  it("should send the contract's headers with a signature the receiver verifies", async () => {
    // Prepare
    server = await startLoopbackServer((_req, res) => res.end());
    const secret = generateSigningSecret();
    const body = '{"order":42,"note":"caf\u00e9 \u20ac"}';
    const headers = buildDeliveryHeaders({
      executionId: 'exe_7', taskId: 'tsk_3', attempt: 1, scheduledFor: new Date('2026-12-01T09:00:00Z'), now: new Date(),
      body, secrets: [secret], taskHeaders: { Authorization: 'Bearer abc', 'X-Custom': 'yes' },
    });

    // Act
    const outcome = await deliver({ url: `${server.origin}/hook`, method: 'POST', headers, body, timeoutMs: 2000 }, LOCAL);

    // Assess
    expect(outcome.kind).toBe('succeeded');
    const received = server.requests[0];
    expect(received.headers).toMatchObject({
      'webhook-id': 'exe_7', 'x-tock-task-id': 'tsk_3', 'x-tock-attempt': '1', 'x-tock-scheduled-for': '2026-12-01T09:00:00.000Z',
      'content-type': 'application/json', authorization: 'Bearer abc', 'x-custom': 'yes',
    });
    expect(received.body).toBe(body);
    expect(verifyWebhook({
      id: String(received.headers['webhook-id']), timestamp: String(received.headers['webhook-timestamp']), body: received.body,
      signatureHeader: String(received.headers['webhook-signature']), secret,
    })).toBe(true);
  });

  it('should keep message framing its own: Host, Content-Length and Transfer-Encoding from the caller are ignored', async () => {
    // Prepare
    server = await startLoopbackServer((_req, res) => res.end());
    const body = '{"a":1}';

    // Act
    const outcome = await deliver({
      url: `http://hooks.test:${server.port}/`, method: 'POST', body, timeoutMs: 2000,
      headers: { Host: 'internal.admin', 'Content-Length': '1', 'Transfer-Encoding': 'chunked', Connection: 'upgrade', Upgrade: 'h2c' },
    }, LOCAL, scriptedResolver(['127.0.0.1']));

    // Assess
    expect(outcome.kind).toBe('succeeded');
    const received = server.requests[0];
    expect(received.headers.host).toBe(`hooks.test:${server.port}`);
    expect(received.headers['content-length']).toBe(String(body.length));
    expect(received.headers['transfer-encoding']).toBeUndefined();
    expect(received.headers.upgrade).toBeUndefined();
    expect(received.body).toBe(body);
  });
});
