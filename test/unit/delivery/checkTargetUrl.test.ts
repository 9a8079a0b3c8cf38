import { describe, expect, it } from 'vitest';
import type { TargetAddressPolicy } from '../../../lambdas/delivery/targetAddressPolicy';
import { checkTargetUrl } from '../../../lambdas/delivery/targetAddressPolicy';

const STRICT: TargetAddressPolicy = { allowLoopback: false, allowedCidrs: [] };
const LOCAL: TargetAddressPolicy = { allowLoopback: true, allowedCidrs: [] };

describe('checkTargetUrl', () => {
  it.each([
    'https://example.com/hook', 'http://example.com:8080/x?y=1#frag', 'https://8.8.8.8/', 'https://[2606:4700:4700::1111]/',
    // Hostnames are resolved and checked at send time, not here.
    'http://localhost/', 'http://127.0.0.1.nip.io/', 'http://metadata.google.internal/',
  ])('should accept %s', (url) => {
    expect(checkTargetUrl(url, STRICT)).toEqual({ ok: true });
  });

  it.each(['ftp://example.com/', 'file:///etc/passwd', 'gopher://example.com/', 'javascript:alert(1)', 'data:text/plain,hi',
    'ws://example.com/', 'wss://example.com/', 'mailto:a@example.com'])('should refuse the scheme of %s', (url) => {
    // Act
    const result = checkTargetUrl(url, STRICT);

    // Assess
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/only http and https/);
  });

  it.each(['not a url', '/relative/path', 'example.com/hook', '', 'http://', 'http://[::1/'])('should refuse %j, which is not an absolute URL', (url) => {
    const result = checkTargetUrl(url, STRICT);

    expect(result.ok).toBe(false);
  });

  it.each(['https://user:pass@example.com/', 'https://user@example.com/', 'https://:pass@example.com/'])(
    'should refuse credentials in %s', (url) => {
      const result = checkTargetUrl(url, STRICT);

      expect(result).toEqual({ ok: false, reason: expect.stringContaining('credentials') });
    });

  it.each([
    'http://127.0.0.1/', 'http://127.0.0.1:3000/hook', 'http://2130706433/', 'http://0x7f000001/', 'http://0177.0.0.1/',
    'http://127.1/', 'http://0x7f.1/', 'http://127.0.0.1./', 'http://0/', 'http://0.0.0.0:80/',
    'http://[::1]/', 'http://[0:0:0:0:0:0:0:1]/', 'http://[::ffff:127.0.0.1]/', 'http://[::ffff:7f00:1]/', 'http://[::]/',
    'http://169.254.169.254/latest/meta-data/', 'http://[fd00:ec2::254]/', 'http://[64:ff9b::a9fe:a9fe]/',
    'http://[::ffff:169.254.169.254]/', 'http://10.0.0.1:8080/', 'http://192.168.0.1/', 'http://[fe80::1]/',
    'http://\uff11\uff12\uff17.\uff10.\uff10.\uff11/', 'HTTP://127.0.0.1/', 'https://3232235777/',
  ])('should refuse the literal address host of %s', (url) => {
    // Act
    const result = checkTargetUrl(url, STRICT);

    // Assess
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('refused') });
  });

  it('should name the refused range in the reason', () => {
    const result = checkTargetUrl('http://0x7f000001:8080/', STRICT);

    expect(result).toEqual({ ok: false, reason: 'the host 127.0.0.1 is a refused address: loopback' });
  });

  it.each(['http://127.0.0.1:3000/', 'http://[::1]:3000/', 'http://127.1/', 'http://[::ffff:127.0.0.1]/'])(
    'should accept the loopback target %s when loopback is allowed', (url) => {
      expect(checkTargetUrl(url, LOCAL)).toEqual({ ok: true });
    });

  it.each(['http://169.254.169.254/', 'http://10.0.0.1/', 'http://0.0.0.0/'])(
    'should still refuse %s when only loopback is allowed', (url) => {
      expect(checkTargetUrl(url, LOCAL).ok).toBe(false);
    });

  it('should accept a private literal inside an operator-allowed CIDR', () => {
    const policy: TargetAddressPolicy = { allowLoopback: false, allowedCidrs: ['10.20.0.0/16'] };

    expect(checkTargetUrl('http://10.20.3.4/hook', policy)).toEqual({ ok: true });
    expect(checkTargetUrl('http://10.21.3.4/hook', policy).ok).toBe(false);
  });
});
