import type { IpAddress, IpNetwork } from './ipAddress';
import { formatIpv4, networkContains, parseIpAddress, parseIpNetwork } from './ipAddress';

/**
 * Which target addresses the executor may connect to (SSRF protection, docs/security.md).
 * Built once per cold start from TOCK_ALLOW_LOOPBACK_TARGETS and TOCK_ALLOWED_TARGET_CIDRS.
 */
export interface TargetAddressPolicy {
  /** Allow 127.0.0.0/8 and ::1 (and their IPv4-mapped forms) only; meant for local mode. */
  readonly allowLoopback: boolean;
  /** IPv4 and IPv6 CIDRs an operator allows even though they are refused by default. */
  readonly allowedCidrs: readonly string[];
}

/** An operator-supplied CIDR that cannot be parsed: a configuration error, raised at cold start. */
export class InvalidCidrError extends Error {
  override readonly name = 'InvalidCidrError';
  constructor(readonly cidr: string) {
    super(`"${cidr}" is not a valid IPv4 or IPv6 CIDR (expected e.g. 10.0.0.0/8 or fd00::/8)`);
  }
}

type Rule = readonly [network: IpNetwork, reason: string];

function rules(entries: ReadonlyArray<readonly [string, string]>): Rule[] {
  return entries.map(([cidr, reason]) => [network(cidr), reason] as const);
}

function network(cidr: string): IpNetwork {
  const parsed = parseIpNetwork(cidr);
  if (!parsed) throw new InvalidCidrError(cidr);
  return parsed;
}

const LOOPBACK = 'loopback';

/** IANA special-purpose IPv4 blocks that are not globally reachable (RFC 6890 and successors). */
const IPV4_REFUSED = rules([
  ['0.0.0.0/8', 'unspecified ("this network")'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared address space (CGNAT)'],
  ['127.0.0.0/8', LOOPBACK],
  ['169.254.0.0/16', 'link-local (includes the cloud metadata service)'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'IETF protocol assignment'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', '6to4 relay anycast'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved (includes broadcast)'],
]);

/** IPv6 forms whose last 32 bits are an IPv4 destination: judged by that IPv4 address. */
const IPV6_EMBEDDING_IPV4 = rules([
  ['::ffff:0:0/96', 'IPv4-mapped'],
  ['::ffff:0:0:0/96', 'IPv4-translated'],
  ['64:ff9b::/96', 'NAT64'],
]);

const IPV6_REFUSED = rules([
  ['::/128', 'unspecified'],
  ['::1/128', LOOPBACK],
  ['::/96', 'IPv4-compatible (deprecated)'],
  ['64:ff9b:1::/48', 'local-use NAT64'],
  ['100::/64', 'discard-only'],
  ['2001::/23', 'IETF protocol assignment (includes Teredo)'],
  ['2001:db8::/32', 'documentation'],
  ['2002::/16', '6to4'],
  ['3fff::/20', 'documentation'],
  ['fc00::/7', 'unique local (private; includes the fd00:ec2::254 metadata service)'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local (deprecated)'],
  ['ff00::/8', 'multicast'],
]);

/** Everything outside 2000::/3 is unassigned or special-purpose today. */
const IPV6_GLOBAL_UNICAST = network('2000::/3');

const allowedNetworksCache = new WeakMap<readonly string[], IpNetwork[]>();

function allowedNetworks(policy: TargetAddressPolicy): IpNetwork[] {
  let networks = allowedNetworksCache.get(policy.allowedCidrs);
  if (!networks) {
    networks = policy.allowedCidrs.map(network);
    allowedNetworksCache.set(policy.allowedCidrs, networks);
  }
  return networks;
}

/** Fails fast (at cold start) on a CIDR an operator mistyped; throws InvalidCidrError. */
export function assertValidTargetAddressPolicy(policy: TargetAddressPolicy): void {
  allowedNetworks(policy);
}

/**
 * Why `ip` is refused under `policy` (the range it falls in, e.g. `loopback`), or `undefined`
 * when it may be connected to.
 * Text that is not an IP address is refused (fail closed).
 */
export function explainRefusedAddress(ip: string, policy: TargetAddressPolicy): string | undefined {
  const address = parseIpAddress(ip);
  if (!address) return 'not an IP address';
  const embedded = embeddedIpv4(address);
  const candidates = embedded ? [address, embedded.ipv4] : [address];
  if (allowedNetworks(policy).some((n) => candidates.some((c) => networkContains(n, c)))) return undefined;

  if (embedded) {
    const inner = ipv4Reason(embedded.ipv4.value);
    if (inner === undefined || (inner === LOOPBACK && policy.allowLoopback)) return undefined;
    return `${embedded.form} form of ${formatIpv4(embedded.ipv4.value)} (${inner})`;
  }
  const reason = address.family === 4 ? ipv4Reason(address.value) : ipv6Reason(address);
  if (reason === LOOPBACK && policy.allowLoopback) return undefined;
  return reason;
}

/**
 * Refused: private 10/8, 172.16/12, 192.168/16, 100.64/10 (CGNAT), fc00::/7; loopback 127/8, ::1;
 * link-local 169.254/16, fe80::/10 (includes 169.254.169.254 metadata, also fd00:ec2::254);
 * unspecified 0.0.0.0/8, ::; multicast/broadcast/reserved; IPv4-mapped (::ffff:a.b.c.d) and
 * IPv4-compatible/NAT64 (64:ff9b::/96) forms of these. allowLoopback allows only loopback;
 * allowedCidrs (IPv4 and IPv6 CIDRs) allow ranges.
 */
export function isRefusedAddress(ip: string, policy: TargetAddressPolicy): boolean {
  return explainRefusedAddress(ip, policy) !== undefined;
}

/** The address a URL host names literally (`127.0.0.1`, `[::1]`), or `undefined` for a hostname. */
export function literalHostAddress(hostname: string): IpAddress | undefined {
  return parseIpAddress(hostname);
}

/**
 * Create-time check of a target URL: only http/https; no credentials in URL; if the host is a
 * literal address in ANY notation (decimal 2130706433, hex 0x7f000001, octal 0177.0.0.1, short
 * forms 127.1, bracketed IPv6, IPv4-mapped IPv6) and refused -> reason. Hostnames pass here
 * (checked at send time). Reasons are sentences that stand on their own beside the field name.
 */
export function checkTargetUrl(url: string, policy: TargetAddressPolicy): { ok: true } | { ok: false; reason: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'not a valid absolute URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, reason: `only http and https URLs are allowed, not "${parsed.protocol.slice(0, -1)}"` };
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return { ok: false, reason: 'credentials in the URL are not allowed; send them in a target header instead' };
  }
  if (parsed.hostname === '') return { ok: false, reason: 'the URL has no host' };
  // WHATWG URL parsing already turns 0x7f000001, 0177.0.0.1 and 127.1 into 127.0.0.1;
  // the address parser reads those notations too, in case it ever does not.
  if (literalHostAddress(parsed.hostname)) {
    const reason = explainRefusedAddress(parsed.hostname, policy);
    if (reason !== undefined) return { ok: false, reason: `the host ${parsed.hostname} is a refused address: ${reason}` };
  }
  return { ok: true };
}

function ipv4Reason(value: bigint): string | undefined {
  const ip: IpAddress = { family: 4, value };
  return IPV4_REFUSED.find(([n]) => networkContains(n, ip))?.[1];
}

function ipv6Reason(ip: IpAddress): string | undefined {
  const match = IPV6_REFUSED.find(([n]) => networkContains(n, ip));
  if (match) return match[1];
  return networkContains(IPV6_GLOBAL_UNICAST, ip) ? undefined : 'reserved IPv6';
}

function embeddedIpv4(ip: IpAddress): { form: string; ipv4: IpAddress } | undefined {
  if (ip.family !== 6) return undefined;
  const match = IPV6_EMBEDDING_IPV4.find(([n]) => networkContains(n, ip));
  return match ? { form: match[1], ipv4: { family: 4, value: ip.value & 0xffffffffn } } : undefined;
}
