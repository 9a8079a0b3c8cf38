/**
 * IP addresses as numbers, so that range checks are arithmetic rather than string matching.
 *
 * The IPv4 parser is deliberately liberal: it reads every notation that some resolver, URL parser
 * or `inet_aton` accepts (`2130706433`, `0x7f000001`, `0177.0.0.1`, `127.1`, a trailing dot).
 * A policy check that recognised fewer notations than the socket layer would be a bypass; one that
 * recognises more only refuses more.
 */

/** A parsed address: `value` is 32 bits for IPv4 and 128 bits for IPv6. */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly value: bigint;
  /** IPv6 zone (`fe80::1%eth0`), kept so that a pinned connection goes to the same interface. */
  readonly zone?: string;
}

/** A network in CIDR notation, with the host bits cleared. */
export interface IpNetwork {
  readonly family: 4 | 6;
  readonly base: bigint;
  readonly prefixLength: number;
}

const MAX_TEXT_LENGTH = 100;
const BITS = { 4: 32, 6: 128 } as const;

/** Parses an IPv4 or IPv6 address in any notation (brackets allowed); `undefined` when it is not one. */
export function parseIpAddress(text: string): IpAddress | undefined {
  if (text.length === 0 || text.length > MAX_TEXT_LENGTH) return undefined;
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  return parseIpv6(text);
}

/** The canonical text of an address: dotted quad, or RFC 5952 compressed IPv6. */
export function formatIpAddress(ip: IpAddress): string {
  if (ip.family === 4) return formatIpv4(ip.value);
  const groups = Array.from({ length: 8 }, (_, i) => Number((ip.value >> BigInt(16 * (7 - i))) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i += 1; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  const text = bestStart < 0
    ? hex.join(':')
    : `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
  return ip.zone ? `${text}%${ip.zone}` : text;
}

/** Formats a 32-bit value as a dotted quad. */
export function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

/** Parses `address/prefix` (or a bare address, meaning a single host); `undefined` when malformed. */
export function parseIpNetwork(text: string): IpNetwork | undefined {
  const slash = text.indexOf('/');
  const address = parseIpAddress(slash < 0 ? text.trim() : text.slice(0, slash).trim());
  if (!address || address.zone) return undefined;
  const bits = BITS[address.family];
  let prefixLength: number = bits;
  if (slash >= 0) {
    const prefix = text.slice(slash + 1).trim();
    if (!/^\d{1,3}$/.test(prefix)) return undefined;
    prefixLength = Number(prefix);
    if (prefixLength > bits) return undefined;
  }
  return { family: address.family, base: address.value & networkMask(bits, prefixLength), prefixLength };
}

/** Whether `ip` lies inside `network` (families must match). */
export function networkContains(network: IpNetwork, ip: IpAddress): boolean {
  if (network.family !== ip.family) return false;
  const bits = BITS[network.family];
  return (ip.value & networkMask(bits, network.prefixLength)) === network.base;
}

function networkMask(bits: number, prefixLength: number): bigint {
  const all = (1n << BigInt(bits)) - 1n;
  return all ^ ((1n << BigInt(bits - prefixLength)) - 1n);
}

/** `inet_aton` / WHATWG URL rules: 1-4 parts, each decimal, `0x` hex or `0` octal; the last fills the rest. */
function parseIpv4(text: string): bigint | undefined {
  let parts = text.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts = parts.slice(0, -1);
  if (parts.length > 4) return undefined;
  const numbers: bigint[] = [];
  for (const part of parts) {
    const n = parseIpv4Number(part);
    if (n === undefined) return undefined;
    numbers.push(n);
  }
  const last = numbers.pop();
  if (last === undefined || numbers.some((n) => n > 255n)) return undefined;
  if (last >= 1n << BigInt(8 * (4 - numbers.length))) return undefined;
  return numbers.reduce((value, n, i) => value | (n << BigInt(8 * (3 - i))), last);
}

function parseIpv4Number(part: string): bigint | undefined {
  if (/^0[xX][0-9a-fA-F]*$/.test(part)) return part.length === 2 ? 0n : BigInt(`0x${part.slice(2)}`);
  if (/^0[0-7]+$/.test(part)) return BigInt(`0o${part.slice(1)}`);
  if (/^(0|[1-9][0-9]*)$/.test(part)) return BigInt(part);
  return undefined;
}

function parseIpv6(input: string): IpAddress | undefined {
  let text = input;
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  let zone: string | undefined;
  const percent = text.indexOf('%');
  if (percent >= 0) {
    zone = text.slice(percent + 1);
    text = text.slice(0, percent);
    if (!/^[0-9A-Za-z_.-]+$/.test(zone)) return undefined;
  }
  if (!text.includes(':')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  let groups: number[] | undefined;
  if (halves.length === 1) {
    groups = parseGroups(halves[0], true);
    if (!groups || groups.length !== 8) return undefined;
  } else {
    const head = parseGroups(halves[0], false);
    const tail = parseGroups(halves[1], true);
    if (!head || !tail || head.length + tail.length > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  }
  const value = groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
  return zone ? { family: 6, value, zone } : { family: 6, value };
}

/** Colon-separated hex groups; the last one may be a dotted quad (`::ffff:1.2.3.4`). */
function parseGroups(text: string, allowDottedTail: boolean): number[] | undefined {
  if (text === '') return [];
  const segments = text.split(':');
  const groups: number[] = [];
  for (const [i, segment] of segments.entries()) {
    if (allowDottedTail && i === segments.length - 1 && segment.includes('.')) {
      const v4 = parseDottedQuad(segment);
      if (v4 === undefined) return undefined;
      groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else if (/^[0-9a-fA-F]{1,4}$/.test(segment)) {
      groups.push(parseInt(segment, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

function parseDottedQuad(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n);
}
