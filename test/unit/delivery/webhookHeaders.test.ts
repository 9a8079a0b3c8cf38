import { describe, expect, it } from 'vitest';
import { buildDeliveryHeaders } from '../../../lambdas/delivery/webhookHeaders';
import { generateSigningSecret, verifyWebhook } from '../../../lambdas/delivery/webhookSignature';

const SECRET = generateSigningSecret();
const NOW = new Date('2026-12-01T09:00:01.750Z');
const BASE = {
  executionId: 'exe_01JBX', taskId: 'tsk_01JBW', attempt: 2, scheduledFor: new Date('2026-12-01T09:00:00Z'),
  now: NOW, body: '{"hello":"world"}', secrets: [SECRET],
};

describe('buildDeliveryHeaders', () => {
  it('should produce every header the contract lists', () => {
    // Act
    const headers = buildDeliveryHeaders(BASE);

    // Assess
    expect(headers).toMatchObject({
      'webhook-id': 'exe_01JBX',
      'webhook-timestamp': '1796115601',
      'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/),
      'x-tock-task-id': 'tsk_01JBW',
      'x-tock-attempt': '2',
      'x-tock-scheduled-for': '2026-12-01T09:00:00.000Z',
      'content-type': 'application/json',
    });
  });

  it('should sign the body so that verifyWebhook accepts it', () => {
    // Act
    const headers = buildDeliveryHeaders(BASE);

    // Assess
    expect(verifyWebhook({
      id: headers['webhook-id'], timestamp: headers['webhook-timestamp'], body: BASE.body,
      signatureHeader: headers['webhook-signature'], secret: SECRET, now: NOW,
    })).toBe(true);
  });

  it('should sign with both secrets during a rotation', () => {
    const previous = generateSigningSecret();

    const headers = buildDeliveryHeaders({ ...BASE, secrets: [SECRET, previous] });

    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(verifyWebhook({
      id: headers['webhook-id'], timestamp: headers['webhook-timestamp'], body: BASE.body,
      signatureHeader: headers['webhook-signature'], secret: previous, now: NOW,
    })).toBe(true);
  });

  it('should keep the same webhook-id on every attempt', () => {
    const first = buildDeliveryHeaders({ ...BASE, attempt: 1 });
    const third = buildDeliveryHeaders({ ...BASE, attempt: 3, now: new Date(NOW.getTime() + 60_000) });

    expect(third['webhook-id']).toBe(first['webhook-id']);
    expect(third['x-tock-attempt']).toBe('3');
    expect(third['webhook-timestamp']).toBe(String(Number(first['webhook-timestamp']) + 60));
  });

  it("should add the task's headers, lower-cased, and let the task choose the content type", () => {
    // Act
    const headers = buildDeliveryHeaders({ ...BASE, taskHeaders: { Authorization: 'Bearer abc', 'Content-Type': 'text/plain', 'X-Custom': '1' } });

    // Assess
    expect(headers.authorization).toBe('Bearer abc');
    expect(headers['content-type']).toBe('text/plain');
    expect(headers['x-custom']).toBe('1');
    expect(Object.keys(headers).filter((k) => k.toLowerCase() === 'content-type')).toHaveLength(1);
  });

  it('should not let a task override or forge webhook-* or x-tock-* headers', () => {
    // Act
    const headers = buildDeliveryHeaders({
      ...BASE,
      taskHeaders: {
        'Webhook-Signature': 'v1,forged', 'webhook-id': 'other', 'WEBHOOK-TIMESTAMP': '1', 'webhook-extra': 'x',
        'X-Tock-Attempt': '99', 'x-tock-task-id': 'someone-else', 'x-tock-whatever': 'y',
      },
    });

    // Assess
    expect(headers['webhook-id']).toBe('exe_01JBX');
    expect(headers['x-tock-attempt']).toBe('2');
    expect(headers['x-tock-task-id']).toBe('tsk_01JBW');
    expect(headers['webhook-signature']).not.toContain('forged');
    expect(headers).not.toHaveProperty('webhook-extra');
    expect(headers).not.toHaveProperty('x-tock-whatever');
    expect(Object.keys(headers).filter((k) => /^(webhook-|x-tock-)/i.test(k))).toHaveLength(6);
  });

  it('should keep a task header named __proto__ as a plain header', () => {
    const taskHeaders = JSON.parse('{"__proto__": "x"}') as Record<string, string>;

    const headers = buildDeliveryHeaders({ ...BASE, taskHeaders });

    expect(Object.getOwnPropertyDescriptor(headers, '__proto__')?.value).toBe('x');
    expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
  });

  it.each([0, -1, 1.5, Number.NaN])('should throw for the impossible attempt number %s', (attempt) => {
    expect(() => buildDeliveryHeaders({ ...BASE, attempt })).toThrow(RangeError);
  });
});
