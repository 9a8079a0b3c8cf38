import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TargetAddressPolicy } from '../../../lambdas/delivery/targetAddressPolicy';
import {
  assertValidTargetAddressPolicy, explainRefusedAddress, InvalidCidrError, isRefusedAddress,
} from '../../../lambdas/delivery/targetAddressPolicy';

const STRICT: TargetAddressPolicy = { allowLoopback: false, allowedCidrs: [] };
const LOCAL: TargetAddressPolicy = { allowLoopback: true, allowedCidrs: [] };

describe('isRefusedAddress', () => {
  it.each([
    ['10.0.0.1', 'private'], ['10.255.255.255', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'], ['100.64.0.1', 'CGNAT'], ['100.127.255.255', 'CGNAT'],
    ['127.0.0.1', 'loopback'], ['127.255.255.254', 'loopback'],
    ['169.254.169.254', 'link-local'], ['169.254.0.1', 'link-local'],
    ['0.0.0.0', 'unspecified'], ['0.1.2.3', 'unspecified'],
    ['224.0.0.1', 'multicast'], ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'], ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'documentation'], ['198.51.100.7', 'documentation'], ['203.0.113.9', 'documentation'],
    ['198.18.0.1', 'benchmarking'], ['192.0.0.170', 'IETF'], ['192.88.99.1', '6to4'],
  ])('should refuse the IPv4 address %s (%s)', (ip, reason) => {
    // Prepare / Act
    const explanation = explainRefusedAddress(ip, STRICT);

    // Assess
    expect(isRefusedAddress(ip, STRICT)).toBe(true);
    expect(explanation).toContain(reason);
  });

  it.each([
    ['::', 'unspecified'], ['::1', 'loopback'], ['[::1]', 'loopback'], ['0:0:0:0:0:0:0:1', 'loopback'],
    ['fc00::1', 'unique local'], ['fd00::1', 'unique local'], ['fd00:ec2::254', 'metadata'],
    ['fe80::1', 'link-local'], ['fe80::1%eth0', 'link-local'], ['febf:ffff::1', 'link-local'],
    ['fec0::1', 'site-local'], ['ff02::1', 'multicast'], ['100::1', 'discard'],
    ['2001:db8::1', 'documentation'], ['3fff::1', 'documentation'], ['2001::1', 'Teredo'], ['2002:7f00:1::1', '6to4'],
    ['5f00::1', 'reserved'], ['64:ff9b:1::a', 'local-use NAT64'],
  ])('should refuse the IPv6 address %s (%s)', (ip, reason) => {
    expect(isRefusedAddress(ip, STRICT)).toBe(true);
    expect(explainRefusedAddress(ip, STRICT)).toContain(reason);
  });

  it.each([
    ['::ffff:127.0.0.1', 'IPv4-mapped'], ['::ffff:7f00:1', 'IPv4-mapped'], ['0:0:0:0:0:ffff:7f00:0001', 'IPv4-mapped'],
    ['::ffff:10.0.0.1', 'IPv4-mapped'], ['::ffff:169.254.169.254', 'IPv4-mapped'], ['::ffff:a9fe:a9fe', 'IPv4-mapped'],
    ['::ffff:0.0.0.0', 'IPv4-mapped'], ['::ffff:0:127.0.0.1', 'IPv4-translated'],
    ['64:ff9b::127.0.0.1', 'NAT64'], ['64:ff9b::a9fe:a9fe', 'NAT64'], ['64:ff9b::192.168.0.1', 'NAT64'],
    ['::127.0.0.1', 'IPv4-compatible'], ['::a9fe:a9fe', 'IPv4-compatible'], ['::10.0.0.1', 'IPv4-compatible'],
  ])('should refuse %s, an IPv6 form of a refused IPv4 address (%s)', (ip, form) => {
    expect(isRefusedAddress(ip, STRICT)).toBe(true);
    expect(explainRefusedAddress(ip, STRICT)).toContain(form);
  });

  it.each([
    ['2130706433', '127.0.0.1 in decimal'], ['0x7f000001', '127.0.0.1 in hex'], ['0X7F000001', 'upper-case hex'],
    ['0177.0.0.1', 'octal first part'], ['017700000001', 'octal whole'], ['0x7f.0.0.1', 'hex first part'],
    ['127.1', 'short form a.d'], ['127.0.1', 'short form a.b.d'], ['0x7f.1', 'short hex form'],
    ['127.0.0.1.', 'trailing dot'], ['0', '0.0.0.0 as one number'],
    ['3232235777', '192.168.1.1 in decimal'], ['0xa9fea9fe', '169.254.169.254 in hex'],
    ['0251.0376.0251.0376', '169.254.169.254 in octal'], ['012.1', '10.0.0.1 in octal short form'],
  ])('should refuse %s (%s)', (ip) => {
    expect(isRefusedAddress(ip, STRICT)).toBe(true);
  });

  it.each([
    '8.8.8.8', '1.1.1.1', '93.184.215.14', '11.0.0.0', '126.255.255.255', '128.0.0.0', '223.255.255.255',
    '172.15.255.255', '172.32.0.0', '100.63.255.255', '100.128.0.0', '192.167.255.255', '169.253.255.255',
    '2606:4700:4700::1111', '2001:4860:4860::8888', '2a00:1450:4001:81c::200e',
    '::ffff:8.8.8.8', '64:ff9b::8.8.8.8', '134744072',
  ])('should allow the public address %s', (ip) => {
    expect(isRefusedAddress(ip, STRICT)).toBe(false);
  });

  it.each(['example.com', '', ' ', '1.2.3.4.5', '256.1.1.1', '1.2.3.256', '08.0.0.1', '::g', '1:2:3:4:5:6:7:8:9',
    '1::2::3', '[::1', '8.8.8.8/32', '8.8.8.8:80'])(
    'should refuse %j, which is not an IP address (fail closed)', (text) => {
      expect(isRefusedAddress(text, LOCAL)).toBe(true);
      expect(explainRefusedAddress(text, LOCAL)).toBe('not an IP address');
    });

  it.each(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', '2130706433'])(
    'should allow the loopback address %s when allowLoopback is set', (ip) => {
      expect(isRefusedAddress(ip, LOCAL)).toBe(false);
    });

  it.each(['10.0.0.1', '169.254.169.254', '0.0.0.0', '::', 'fe80::1', 'fd00:ec2::254', '::ffff:192.168.0.1', '224.0.0.1'])(
    'should still refuse the non-loopback address %s when allowLoopback is set', (ip) => {
      expect(isRefusedAddress(ip, LOCAL)).toBe(true);
    });

  it('should allow exactly the ranges an operator lists in allowedCidrs', () => {
    // Prepare
    const policy: TargetAddressPolicy = { allowLoopback: false, allowedCidrs: ['10.0.0.0/8', 'fd00:1234::/32', '192.168.1.10'] };

    // Act / Assess
    expect(isRefusedAddress('10.1.2.3', policy)).toBe(false);
    expect(isRefusedAddress('::ffff:10.1.2.3', policy)).toBe(false);
    expect(isRefusedAddress('fd00:1234::5', policy)).toBe(false);
    expect(isRefusedAddress('192.168.1.10', policy)).toBe(false);
    expect(isRefusedAddress('192.168.1.11', policy)).toBe(true);
    expect(isRefusedAddress('fd00:1235::5', policy)).toBe(true);
    expect(isRefusedAddress('172.16.0.1', policy)).toBe(true);
    expect(isRefusedAddress('127.0.0.1', policy)).toBe(true);
    expect(isRefusedAddress('169.254.169.254', policy)).toBe(true);
  });

  it('should accept CIDRs with host bits set and surrounding spaces', () => {
    const policy: TargetAddressPolicy = { allowLoopback: false, allowedCidrs: [' 172.16.5.9/16 '] };

    expect(isRefusedAddress('172.16.200.1', policy)).toBe(false);
    expect(isRefusedAddress('172.17.0.1', policy)).toBe(true);
  });

  it.each(['10.0.0.0/33', 'nope', '::/129', '10.0.0.0/', '10.0.0.0/-1', 'fe80::/10%eth0', '10.0.0.0/8/8'])(
    'should reject the malformed CIDR %j with InvalidCidrError', (cidr) => {
      const policy: TargetAddressPolicy = { allowLoopback: false, allowedCidrs: [cidr] };

      expect(() => assertValidTargetAddressPolicy(policy)).toThrow(InvalidCidrError);
      expect(() => isRefusedAddress('8.8.8.8', policy)).toThrow(InvalidCidrError);
    });
});

describe('isRefusedAddress across notations (property)', () => {
  const ipv4 = fc.integer({ min: 0, max: 0xffffffff });
  const dotted = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 0xff).join('.');
  const notations = (n: number): string[] => {
    const hi = (n >>> 16).toString(16);
    const lo = (n & 0xffff).toString(16);
    return [
      dotted(n), String(n), `0x${n.toString(16)}`, `0${n.toString(8)}`,
      [24, 16, 8, 0].map((s) => `0${((n >>> s) & 0xff).toString(8)}`).join('.'),
      `${(n >>> 24) & 0xff}.${n & 0xffffff}`,
      `::ffff:${dotted(n)}`, `::ffff:${hi}:${lo}`, `64:ff9b::${hi}:${lo}`, `[::ffff:${dotted(n)}]`,
    ];
  };

  it('should give the same verdict for every notation of one IPv4 address', () => {
    fc.assert(fc.property(ipv4, fc.boolean(), (n, allowLoopback) => {
      const policy: TargetAddressPolicy = { allowLoopback, allowedCidrs: [] };
      const verdicts = notations(n).map((text) => isRefusedAddress(text, policy));
      expect(new Set(verdicts).size).toBe(1);
    }), { numRuns: 2000 });
  });

  it('should refuse every address of the private, loopback and link-local blocks in any notation', () => {
    const blocks: Array<[number, number]> = [[0x0a000000, 8], [0xac100000, 12], [0xc0a80000, 16], [0x7f000000, 8], [0xa9fe0000, 16], [0x64400000, 10]];
    const inBlock = fc.tuple(fc.constantFrom(...blocks), ipv4).map(([[base, prefix], r]) => (base | (r >>> prefix)) >>> 0);
    fc.assert(fc.property(inBlock, (n) => {
      for (const text of notations(n)) expect(isRefusedAddress(text, STRICT)).toBe(true);
    }));
  });
});
