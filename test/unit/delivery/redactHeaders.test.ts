import { describe, expect, it } from 'vitest';
import { redactHeaders } from '../../../lambdas/delivery/redactHeaders';
import { redactHeaders as reexported } from '../../../lambdas/delivery/secretBox';

describe('redactHeaders', () => {
  it('should hide the values of credential headers and keep the others', () => {
    // Prepare
    const headers = {
      Authorization: 'Bearer abc', 'Proxy-Authorization': 'Basic xyz', Cookie: 'sid=1', 'Set-Cookie': 'sid=2',
      'X-Api-Key': 'k', 'X-Auth-Token': 't', 'X-Client-Secret': 's', 'X-Signing-Key': 'sk', 'X-DB-Password': 'p',
      'Content-Type': 'application/json', 'X-Request-Id': 'req-1', 'webhook-id': 'exe_1',
    };

    // Act
    const redacted = redactHeaders(headers);

    // Assess
    expect(redacted).toEqual({
      Authorization: '[redacted]', 'Proxy-Authorization': '[redacted]', Cookie: '[redacted]', 'Set-Cookie': '[redacted]',
      'X-Api-Key': '[redacted]', 'X-Auth-Token': '[redacted]', 'X-Client-Secret': '[redacted]', 'X-Signing-Key': '[redacted]',
      'X-DB-Password': '[redacted]', 'Content-Type': 'application/json', 'X-Request-Id': 'req-1', 'webhook-id': 'exe_1',
    });
  });

  it('should not modify its input', () => {
    const headers = { authorization: 'Bearer abc' };

    redactHeaders(headers);

    expect(headers.authorization).toBe('Bearer abc');
  });

  it('should use a caller-supplied list of exact names and * patterns instead of the default', () => {
    const redacted = redactHeaders({ 'x-tenant': 't1', 'x-session-id': 's', authorization: 'Bearer a' }, ['X-Tenant', 'x-session*']);

    expect(redacted).toEqual({ 'x-tenant': '[redacted]', 'x-session-id': '[redacted]', authorization: 'Bearer a' });
  });

  it('should be importable from secretBox as well', () => {
    expect(reexported).toBe(redactHeaders);
  });
});
