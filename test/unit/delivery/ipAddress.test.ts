import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIpAddress, networkContains, parseIpAddress, parseIpNetwork } from '../../../lambdas/delivery/ipAddress';

const ipv6Value = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
const sparseIpv6Value = fc.array(fc.constantFrom(0, 0, 0, 1, 0xffff, 0x2001), { minLength: 8, maxLength: 8 })
  .map((groups) => groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n));

describe('parseIpAddress / formatIpAddress', () => {
  it('should format IPv6 exactly as the WHATWG URL parser canonicalises it (RFC 5952)', () => {
    fc.assert(fc.property(fc.oneof(ipv6Value, sparseIpv6Value), (value) => {
      // Prepare
      const text = formatIpAddress({ family: 6, value });

      // Act
      const canonical = new URL(`http://[${text}]/`).hostname;

      // Assess
      expect(`[${text}]`).toBe(canonical);
      expect(parseIpAddress(text)).toEqual({ family: 6, value });
    }), { numRuns: 1000 });
  });

  it('should read every IPv6 text that Node accepts as an address', () => {
    fc.assert(fc.property(fc.ipV6(), (text) => {
      expect(isIP(text)).toBe(6);
      const parsed = parseIpAddress(text);
      expect(parsed?.family).toBe(6);
      expect(`[${formatIpAddress(parsed!)}]`).toBe(new URL(`http://[${text}]/`).hostname);
    }), { numRuns: 1000 });
  });

  it('should read IPv4 in the same notations as the WHATWG URL parser', () => {
    const extended = fc.oneof(fc.ipV4(), fc.ipV4Extended(), fc.integer({ min: 0, max: 0xffffffff }).map(String));
    fc.assert(fc.property(extended, (text) => {
      const parsed = parseIpAddress(text);
      expect(parsed?.family).toBe(4);
      expect(formatIpAddress(parsed!)).toBe(new URL(`http://${text}/`).hostname);
    }), { numRuns: 1000 });
  });

  it('should keep an IPv6 zone so that a pinned connection uses the same interface', () => {
    const parsed = parseIpAddress('fe80::1%eth0');

    expect(parsed).toEqual({ family: 6, value: 0xfe80n << 112n | 1n, zone: 'eth0' });
    expect(formatIpAddress(parsed!)).toBe('fe80::1%eth0');
  });

  it.each(['', 'localhost', '1.2.3.4.5', '4294967296', '0x100000000', '1.16777216', '::1::', ':::', '12345::', 'fe80::1%',
    'fe80::1%eth 0', '1.2.3.4::', '::1.2.3', '::256.0.0.1', 'x'.repeat(200)])('should not read %j as an address', (text) => {
    expect(parseIpAddress(text)).toBeUndefined();
  });
});

describe('parseIpNetwork / networkContains', () => {
  it('should match addresses by prefix and never across families', () => {
    // Prepare
    const net = parseIpNetwork('192.168.0.0/16')!;

    // Act / Assess
    expect(networkContains(net, parseIpAddress('192.168.255.1')!)).toBe(true);
    expect(networkContains(net, parseIpAddress('192.169.0.1')!)).toBe(false);
    expect(networkContains(net, parseIpAddress('::ffff:192.168.0.1')!)).toBe(false);
    expect(networkContains(parseIpNetwork('0.0.0.0/0')!, parseIpAddress('8.8.8.8')!)).toBe(true);
    expect(networkContains(parseIpNetwork('::/0')!, parseIpAddress('8.8.8.8')!)).toBe(false);
  });
});
